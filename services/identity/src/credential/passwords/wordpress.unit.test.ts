import bcrypt from 'bcrypt';
import { describe, expect, it } from 'vitest';
import { hashPassword, verifyPassword } from './hashing.js';
import { encode64, PHPASS_MAX_COST, phpassCost } from './phpass.js';
import { isWordPressHash, verifyWordPressHash, WORDPRESS_MARKER, wordPressScheme } from './wordpress.js';

/** phpass's own published test vector (its test.php): this hash is of `test12345`. */
const PHPASS_TEST12345 = '$P$9IQRaTwmfeRo7ud9Fh4E2PdI0S3r.L0';
const MD5_PASSWORD = '5f4dcc3b5aa765d61d8327deb882cf99';
const marked = (hash: string) => `${WORDPRESS_MARKER}${hash}`;

describe('WordPress hashes, by hand', () => {
  it('knows each scheme by its shape and refuses what it cannot verify', () => {
    expect(wordPressScheme(PHPASS_TEST12345)).toBe('phpass');
    expect(wordPressScheme(`$H$${PHPASS_TEST12345.slice(3)}`)).toBe('phpass');
    expect(wordPressScheme(MD5_PASSWORD)).toBe('md5');
    expect(wordPressScheme(MD5_PASSWORD.toUpperCase())).toBe('md5');
    const bcrypt2y = `$2y$10$${'a'.repeat(53)}`;
    expect(wordPressScheme(bcrypt2y)).toBe('bcrypt');
    expect(wordPressScheme(`$wp${bcrypt2y}`)).toBe('wp-bcrypt');
    for (const unknown of [
      '',
      '*',
      `$argon2id$v=19$m=65536,t=4,p=1$${'a'.repeat(40)}`,
      `$P$${'9'.repeat(30)}`, // one character short
      `$P$F${PHPASS_TEST12345.slice(4)}`, // 2^17 rounds: past what we run
      `$P$4${PHPASS_TEST12345.slice(4)}`, // 2^6 rounds: below phpass's least (2^7)
      `$2y$31$${'a'.repeat(53)}`, // 2^31 bcrypt rounds
      `$2x$10$${'a'.repeat(53)}`,
      `${MD5_PASSWORD}0`,
    ]) {
      expect(wordPressScheme(unknown), unknown).toBeUndefined();
    }
  });

  it('runs at most 2^16 phpass rounds; WordPress writes 2^13', () => {
    expect(PHPASS_MAX_COST).toBe(16);
    expect(phpassCost('$P$E')).toBe(16);
    expect(phpassCost('$P$F')).toBeUndefined();
    expect(phpassCost('$P$B')).toBe(13);
  });

  it('verifies a published phpass vector and an MD5, each with the marker or without', async () => {
    expect(await verifyWordPressHash('test12345', PHPASS_TEST12345)).toBe(true);
    expect(await verifyWordPressHash('test12345', marked(PHPASS_TEST12345))).toBe(true);
    expect(await verifyWordPressHash('test1234', PHPASS_TEST12345)).toBe(false);
    expect(await verifyWordPressHash('password', marked(MD5_PASSWORD))).toBe(true);
    expect(await verifyWordPressHash('password', marked(MD5_PASSWORD.toUpperCase()))).toBe(true);
    expect(await verifyWordPressHash('Password', marked(MD5_PASSWORD))).toBe(false);
  });

  it('trims what was typed as wp_authenticate does, with PHP trim characters only', async () => {
    expect(await verifyWordPressHash(' \t password \n\0', marked(MD5_PASSWORD))).toBe(true);
    // A no-break space is no PHP white space.
    expect(await verifyWordPressHash('\u00a0password', marked(MD5_PASSWORD))).toBe(false);
  });

  it('refuses a password phpass would refuse (over 4096 bytes), even with a right prefix', async () => {
    expect(await verifyWordPressHash(`test12345${' '.repeat(5000)}x`, PHPASS_TEST12345)).toBe(false);
  });

  it('reads a plain bcrypt over the raw password, never as one of our own prehashed hashes', async () => {
    const wordpress = await bcrypt.hash('raw password', 4);
    expect(await verifyPassword('raw password', marked(wordpress.replace('$2b$', '$2y$')))).toBe(true);
    // Unmarked, the same hash is taken for ours (bcrypt over a prehash) and does not match.
    expect(await verifyPassword('raw password', wordpress)).toBe(false);
    const ours = await hashPassword('raw password', 4);
    expect(isWordPressHash(ours)).toBe(false);
    expect(await verifyPassword('raw password', ours)).toBe(true);
    expect(await verifyPassword('raw password', marked(ours))).toBe(false);
  });

  it('encodes as phpass does: little-endian, two characters for a last lone byte', () => {
    expect(encode64(Buffer.from([0]))).toBe('..');
    expect(encode64(Buffer.from([0xff, 0xff, 0xff]))).toBe('zzzz');
    expect(encode64(Buffer.from([1, 0, 0, 0]))).toBe('/.....');
  });
});
