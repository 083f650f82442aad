import { execFile } from 'node:child_process';
import { createPublicKey, generateKeyPairSync, type KeyObject } from 'node:crypto';
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { CompactSign, SignJWT } from 'jose';
import { Webhook } from 'standardwebhooks';
import { describe, expect, it } from 'vitest';
import { BRIDGE_DIR } from './support/wordpress-site.js';

const run = promisify(execFile);

/**
 * The bridge plugin's own crypto (JWK → PEM by hand, JOSE → DER ECDSA signatures, the JWT checks,
 * the Standard Webhooks signature) run by php-cli, against Node's crypto, jose and the reference
 * standardwebhooks library as the other side.
 */
async function php<T>(call: string, input: unknown): Promise<T> {
  const includes = ['der', 'jwk', 'jwt', 'token-error', 'webhook-signature'].map((name) => `class-headlesskey-bridge-${name}.php`);
  const code = [
    "define( 'ABSPATH', '/' );",
    ...includes.map((file) => `require ${JSON.stringify(join(BRIDGE_DIR, 'includes', file))};`),
    '$in = json_decode( stream_get_contents( STDIN ), true );',
    `echo json_encode( ${call} );`,
  ].join('\n');
  const child = run('php', ['-r', code], { maxBuffer: 16 * 1024 * 1024 });
  child.child.stdin?.end(JSON.stringify(input));
  return JSON.parse((await child).stdout) as T;
}

const spki = (key: KeyObject) => createPublicKey(key).export({ type: 'spki', format: 'pem' }).toString();
const jwkOf = (key: KeyObject) => createPublicKey(key).export({ format: 'jwk' });

/** The time the claims are checked at is passed to PHP: no verdict depends on how fast this machine is. */
const NOW = Math.floor(Date.now() / 1000);
const CLAIMS = { iss: 'https://auth.example.test', aud: 'headlesskey', sub: '42', data: { ID: 42 }, iat: NOW, nbf: NOW, exp: NOW + 600 };

describe('the WordPress bridge plugin, run by php-cli', () => {
  it('has no PHP syntax error in any file', async () => {
    const files = ['headlesskey-bridge.php', 'uninstall.php', ...(await readdir(join(BRIDGE_DIR, 'includes'))).map((f) => `includes/${f}`)];
    expect(files.length).toBeGreaterThan(10);
    for (const file of files) expect((await run('php', ['-l', join(BRIDGE_DIR, file)])).stdout).toContain('No syntax errors');
  });

  it('builds the same public key PEM from a JWK as OpenSSL does, for RSA and P-256', async () => {
    const keys = [
      generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey,
      generateKeyPairSync('rsa', { modulusLength: 3072, publicExponent: 3 }).privateKey,
      ...Array.from({ length: 8 }, () => generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey),
    ];
    const jwks = keys.map((key, i) => ({ ...jwkOf(key), kid: `k${i}` }));
    const pems = await php<string[]>(
      "array_map( function ( $jwk ) use ( $in ) { return HeadlessKey_Bridge_Jwk::pem_for( $in, 'RSA' === $jwk['kty'] ? 'RS256' : 'ES256', $jwk['kid'] ); }, $in )",
      jwks,
    );
    expect(pems).toEqual(keys.map(spki));
  });

  it('never uses a key for an algorithm it is not for', async () => {
    const rsa = { ...jwkOf(generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey), kid: 'rsa' };
    const ec = { ...jwkOf(generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey), kid: 'ec' };
    const p384 = { ...jwkOf(generateKeyPairSync('ec', { namedCurve: 'P-384' }).privateKey), kid: 'p384' };
    const pinned = { ...rsa, kid: 'pinned', alg: 'RS384' };
    const oct = { kty: 'oct', k: 'c2VjcmV0', kid: 'oct' };
    const asked = [
      ['rsa', 'ES256'],
      ['ec', 'RS256'],
      ['p384', 'ES256'],
      ['pinned', 'RS256'],
      ['oct', 'RS256'],
      ['missing', 'RS256'],
    ];
    const found = await php<(string | null)[]>(
      "array_map( function ( $ask ) use ( $in ) { return HeadlessKey_Bridge_Jwk::pem_for( $in['keys'], $ask[1], $ask[0] ); }, $in['asked'] )",
      { keys: [rsa, ec, p384, pinned, oct], asked },
    );
    expect(found).toEqual(asked.map(() => null));
  });

  it('verifies ES256 signatures whatever their r and s look like (high bit set, leading zeros)', async () => {
    const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    const tokens: string[] = [];
    const seen = { highBit: false, leadingZero: false };
    for (let i = 0; i < 5000 && (tokens.length < 20 || !seen.highBit || !seen.leadingZero); i++) {
      const token = await new CompactSign(Buffer.from(JSON.stringify({ ...CLAIMS, n: i })))
        .setProtectedHeader({ alg: 'ES256' })
        .sign(privateKey);
      const signature = Buffer.from(token.split('.')[2] ?? '', 'base64url');
      const halves = [signature[0] ?? 0, signature[32] ?? 0];
      const high = halves.some((b) => b >= 0x80);
      const zero = halves.some((b) => b === 0);
      if (tokens.length < 20 || (high && !seen.highBit) || (zero && !seen.leadingZero)) tokens.push(token);
      seen.highBit ||= high;
      seen.leadingZero ||= zero;
    }
    expect(seen).toEqual({ highBit: true, leadingZero: true });
    const tampered = tokens.map((t) => `${t.slice(0, -2)}${t.endsWith('AA') ? 'AQ' : 'AA'}`);
    const verdicts = await php<boolean[]>(
      "array_map( function ( $t ) use ( $in ) { return 1 === openssl_verify( substr( $t, 0, strrpos( $t, '.' ) ), HeadlessKey_Bridge_Der::ecdsa_signature( HeadlessKey_Bridge_Jwt::b64url_decode( substr( $t, strrpos( $t, '.' ) + 1 ) ) ), $in['pem'], OPENSSL_ALGO_SHA256 ); }, $in['tokens'] )",
      { pem: spki(privateKey), tokens: [...tokens, ...tampered] },
    );
    expect(verdicts).toEqual([...tokens.map(() => true), ...tampered.map(() => false)]);
  });

  it('accepts a good token and refuses each way a token can be wrong', async () => {
    const rsa = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey;
    const secret = new TextEncoder().encode('a-shared-secret-of-at-least-32-bytes!!');
    const rs = (claims: object, header: object = {}) =>
      new SignJWT({ ...CLAIMS, ...claims }).setProtectedHeader({ alg: 'RS256', kid: 'k1', ...header }).sign(rsa);
    const unsigned = (alg: string) => `${b64({ alg, kid: 'k1' })}.${b64(CLAIMS)}.`;
    const cases: [string, string, string | null][] = [
      ['good', await rs({}), null],
      ['aud as a list', await rs({ aud: ['other', 'headlesskey'] }), null],
      ['expired within the leeway', await rs({ exp: NOW - 5 }), null],
      ['expired', await rs({ exp: NOW - 60 }), 'expired'],
      ['no exp', await rs({ exp: undefined }), 'claims'],
      ['not yet valid', await rs({ nbf: NOW + 120 }), 'claims'],
      ['other issuer', await rs({ iss: 'https://evil.example' }), 'claims'],
      ['other audience', await rs({ aud: 'other' }), 'claims'],
      ['sub and data.ID disagree', await rs({ sub: '43' }), 'claims'],
      ['no user', await rs({ sub: undefined, data: {} }), 'claims'],
      ['unknown kid', await rs({}, { kid: 'k2' }), 'unknown_key'],
      ['key in header', await rs({}, { jwk: jwkOf(rsa) }), 'malformed'],
      ['alg none', unsigned('none'), 'malformed'],
      ['alg none, signed', `${unsigned('none')}c2ln`, 'algorithm'],
      ['HS256 keyed with the public key', await confused(rsa), 'algorithm'],
      ['HS256 in HS256 mode', await new SignJWT(CLAIMS).setProtectedHeader({ alg: 'HS256' }).sign(secret), null],
      ['forged signature', `${(await rs({})).slice(0, -4)}AAAA`, 'signature'],
      ['padded signature', `${await rs({})}=`, 'malformed'],
    ];
    const verdicts = await php<(string | null)[]>(
      `array_map( function ( $case ) use ( $in ) {
        $hs = 'HS256 in HS256 mode' === $case[0];
        try {
          HeadlessKey_Bridge_Jwt::verify( $case[1], array(
            'algorithms' => $hs ? array( 'HS256' ) : array( 'RS256', 'ES256' ),
            'key' => function ( $alg, $kid ) use ( $in, $hs ) { return $hs ? $in['secret'] : ( 'k1' === $kid ? $in['pem'] : null ); },
            'issuer' => 'https://auth.example.test', 'audience' => 'headlesskey', 'now' => $in['now'],
          ) );
          return null;
        } catch ( HeadlessKey_Bridge_Token_Error $e ) { return $e->reason; }
      }, $in['cases'] )`,
      { pem: spki(rsa), secret: new TextDecoder().decode(secret), cases, now: NOW },
    );
    expect(Object.fromEntries(cases.map(([name], i) => [name, verdicts[i]]))).toEqual(
      Object.fromEntries(cases.map(([name, , want]) => [name, want])),
    );
  });

  it('checks webhook signatures as the Standard Webhooks reference signs them', async () => {
    const secret = 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw';
    const body = JSON.stringify({ type: 'user.registered', data: { user_id: 7 } });
    const sign = (id: string, at: Date, payload = body) => new Webhook(secret).sign(id, at, payload);
    const now = new Date();
    const ts = String(Math.floor(now.getTime() / 1000));
    const old = new Date(now.getTime() - 301_000);
    const cases = [
      ['msg_1', ts, body, sign('msg_1', now)],
      ['msg_1', ts, body, `v1,bm90IGl0 ${sign('msg_1', now)}`],
      ['msg_1', ts, `${body} `, sign('msg_1', now)],
      ['msg_2', ts, body, sign('msg_1', now)],
      ['msg_1', String(Math.floor(old.getTime() / 1000)), body, sign('msg_1', old)],
      ['msg_1', ts, body, sign('msg_1', now).replace('v1,', 'v2,')],
      ['', ts, body, sign('', now)],
    ];
    const refusals = await php<(string | null)[]>(
      "array_map( function ( $c ) use ( $in ) { return HeadlessKey_Bridge_Webhook_Signature::refusal( $in['secret'], $c[0], $c[1], $c[2], $c[3], $in['now'] ); }, $in['cases'] )",
      { secret, cases, now: Number(ts) },
    );
    expect(refusals.map((r) => r === null)).toEqual([true, true, false, false, false, false, false]);
    expect(refusals[4]).toMatch(/timestamp/);
  });
});

const b64 = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');

/** The classic confusion: an HS256 token whose HMAC key is the RS256 public key's PEM. */
function confused(rsa: KeyObject): Promise<string> {
  return new SignJWT(CLAIMS).setProtectedHeader({ alg: 'HS256', kid: 'k1' }).sign(new TextEncoder().encode(spki(rsa)));
}
