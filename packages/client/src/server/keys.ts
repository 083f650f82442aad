import { HeadlessKeyError, tokenError } from '../errors.js';
import { type Algorithm, WEB_CRYPTO } from './jws.js';

/** Where a verifier finds the key of a token's `kid`. */
export interface KeySource {
  key(kid: unknown, alg: Algorithm): Promise<CryptoKey>;
}

/** The shared secret of an HS256 deployment (`HEADLESSKEY_JWT_SECRET`): HS256 only, any `kid`. */
export function secretKey(secret: string): KeySource {
  let imported: Promise<CryptoKey> | undefined;
  return {
    key(_kid, alg) {
      // A secret never verifies an RS256 or ES256 token: no algorithm confusion (RFC 8725 §2.1).
      if (alg !== 'HS256') return Promise.reject(tokenError('headlesskey_invalid_token', 'algorithm not allowed for key'));
      imported ??= crypto.subtle.importKey('raw', new TextEncoder().encode(secret), WEB_CRYPTO.HS256.importParams, false, ['verify']);
      return imported;
    },
  };
}

interface Jwk extends JsonWebKey {
  kid?: string;
  use?: string;
}

export interface JwksOptions {
  fetch?: typeof fetch;
  /** How long a fetched key set is used before it is fetched again. */
  maxAgeMs?: number;
  /** An unknown `kid` fetches the set again (a rotation), at most this often. */
  cooldownMs?: number;
  now?: () => number;
}

const KTY: Readonly<Record<Algorithm, string>> = { HS256: 'oct', RS256: 'RSA', ES256: 'EC' };

/**
 * The public keys of `/.well-known/jwks.json`, fetched once and kept `maxAgeMs`; a token signed
 * with a key the set does not hold yet (the server just rotated) fetches it again, no more than
 * once per `cooldownMs`, so a flood of forged `kid`s costs the server one request per cooldown.
 * A key is used only for the algorithm it states and only if it is a public signing key.
 */
export function jwksKeys(url: string, opts: JwksOptions = {}): KeySource {
  const get = opts.fetch ?? fetch;
  const maxAgeMs = opts.maxAgeMs ?? 600_000;
  const cooldownMs = opts.cooldownMs ?? 30_000;
  const now = opts.now ?? Date.now;
  let keys: Map<string, Jwk> | undefined;
  let fetchedAt = Number.NEGATIVE_INFINITY;
  let loading: Promise<void> | undefined;
  const imported = new Map<string, Promise<CryptoKey>>();

  const load = () => {
    loading ??= (async () => {
      try {
        const res = await get(url, { headers: { accept: 'application/json' } });
        if (!res.ok) throw new HeadlessKeyError('headlesskey_unavailable', res.status, `the key set answered ${res.status}`);
        const body = (await res.json()) as { keys?: Jwk[] };
        keys = new Map((body.keys ?? []).filter((k) => typeof k.kid === 'string').map((k) => [k.kid as string, k]));
        fetchedAt = now();
        imported.clear();
      } finally {
        loading = undefined;
      }
    })();
    return loading;
  };

  return {
    async key(kid, alg) {
      if (typeof kid !== 'string') throw tokenError('headlesskey_invalid_token', 'unknown key');
      if (!keys || now() - fetchedAt > maxAgeMs) await load();
      if (!keys?.has(kid) && now() - fetchedAt > cooldownMs) await load();
      const jwk = keys?.get(kid);
      if (!jwk) throw tokenError('headlesskey_invalid_token', 'unknown key');
      if (jwk.alg !== alg || jwk.kty !== KTY[alg] || alg === 'HS256' || (jwk.use !== undefined && jwk.use !== 'sig')) {
        throw tokenError('headlesskey_invalid_token', 'algorithm not allowed for key');
      }
      let key = imported.get(kid);
      if (!key) {
        const { kty, n, e, crv, x, y } = jwk;
        key = crypto.subtle.importKey('jwk', { kty, n, e, crv, x, y, alg, ext: true }, WEB_CRYPTO[alg].importParams, false, ['verify']);
        imported.set(kid, key);
      }
      return key;
    },
  };
}
