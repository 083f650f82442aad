import { describe, expect, it } from 'vitest';
import { type HashRequest, type PhpScheme, phpHashes } from '../../../../../test/support/wordpress/hashes.js';
import { verifyPassword } from './hashing.js';
import { WORDPRESS_MARKER, wordPressScheme } from './wordpress.js';

/** Passwords a WordPress site holds: plain, unicode, longer than bcrypt's 72 bytes, spaces inside and around. */
const PASSWORDS = ['correct horse battery staple', 'pässwörd-日本語-🔑', `long ${'x'.repeat(80)} tail`, '  spaced out  ', 'a'];
const SCHEMES: readonly PhpScheme[] = ['phpass', 'wp-bcrypt', 'bcrypt-2y', 'bcrypt-2a', 'bcrypt-2b', 'md5'];

/** Hashes made by PHP running WordPress's own class-phpass.php and its wp_hash_password rules. */
describe('WordPress hashes made by PHP', () => {
  it('verify with the password, with it typed with spaces around, and never with a wrong one', async () => {
    const requests: HashRequest[] = SCHEMES.flatMap((scheme) => PASSWORDS.map((password) => ({ password, scheme, cost: 4 })));
    const hashes = await phpHashes(requests);
    const checks = requests.map(async ({ password, scheme }, i) => {
      const stored = `${WORDPRESS_MARKER}${hashes[i]}`;
      const label = `${scheme} of ${JSON.stringify(password)}`;
      expect(wordPressScheme(hashes[i] ?? ''), label).toBe(scheme.startsWith('bcrypt') ? 'bcrypt' : scheme);
      expect(await verifyPassword(password, stored), label).toBe(true);
      expect(await verifyPassword(` ${password.trim()}\t`, stored), `${label}, typed with spaces around`).toBe(true);
      expect(await verifyPassword(`!${password}`, stored), `${label}, one more character`).toBe(false);
      expect(await verifyPassword(password.toUpperCase() === password ? 'B' : password.toUpperCase(), stored), `${label}, upper case`).toBe(
        false,
      );
    });
    await Promise.all(checks);
  });

  it('tell apart long passwords past 72 bytes where WordPress 6.8 does, and not where plain bcrypt cannot', async () => {
    const base = 'y'.repeat(72);
    const [wp68, plain] = await phpHashes([
      { password: `${base}A`, scheme: 'wp-bcrypt', cost: 4 },
      { password: `${base}A`, scheme: 'bcrypt-2y', cost: 4 },
    ]);
    expect(await verifyPassword(`${base}B`, `${WORDPRESS_MARKER}${wp68}`)).toBe(false);
    // PHP's bcrypt reads 72 bytes as ours does: WordPress accepted this too.
    expect(await verifyPassword(`${base}B`, `${WORDPRESS_MARKER}${plain}`)).toBe(true);
  });

  it("verify a password WordPress's forms hashed with PHP's added slashes, as typed without them", async () => {
    const password = `it's a "quoted" \\ password`;
    const [slashed] = await phpHashes([{ password, scheme: 'slashed' }]);
    expect(await verifyPassword(password, `${WORDPRESS_MARKER}${slashed}`)).toBe(true);
    expect(await verifyPassword(`its a "quoted" \\ password`, `${WORDPRESS_MARKER}${slashed}`)).toBe(false);
  });
});
