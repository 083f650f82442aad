import {
  createHash,
  createPrivateKey,
  createPublicKey,
  createSecretKey,
  generateKeyPairSync,
  type JsonWebKey,
  type KeyObject,
  randomBytes,
} from 'node:crypto';

export type Algorithm = 'HS256' | 'RS256' | 'ES256';

/** A signing key and how it verifies: the only algorithm it may be used with is its own. */
export interface KeyMaterial {
  kid: string;
  alg: Algorithm;
  /** KeyObjects; `joseKey` turns an HMAC secret into the CryptoKey jose verifies fastest with. */
  signKey: KeyObject;
  verifyKey: KeyObject;
  /** The public half as a JWK, for the JWKS; never set for an HMAC secret. */
  publicJwk?: JsonWebKey;
}

/** What the store keeps of a generated key: the private JWK (or the HMAC secret as `k`). */
export type StoredMaterial = JsonWebKey;

export function generateMaterial(alg: Algorithm): { kid: string; stored: StoredMaterial } {
  const kid = randomBytes(12).toString('base64url');
  if (alg === 'HS256') return { kid, stored: { kty: 'oct', k: randomBytes(32).toString('base64url') } };
  const pair = alg === 'RS256' ? generateKeyPairSync('rsa', { modulusLength: 2048 }) : generateKeyPairSync('ec', { namedCurve: 'P-256' });
  return { kid, stored: pair.privateKey.export({ format: 'jwk' }) };
}

export function fromStored(kid: string, alg: Algorithm, stored: StoredMaterial): KeyMaterial {
  if (alg === 'HS256') {
    const secret = createSecretKey(Buffer.from(String(stored.k), 'base64url'));
    return { kid, alg, signKey: secret, verifyKey: secret };
  }
  return asymmetric(kid, alg, createPrivateKey({ key: stored, format: 'jwk' }));
}

/** The HS256 secret of HEADLESSKEY_SECRET_KEY, with a kid derived from it (stable across replicas). */
export function fromSecret(secret: Uint8Array): KeyMaterial {
  const key = createSecretKey(secret);
  return { kid: derivedKid(secret), alg: 'HS256', signKey: key, verifyKey: key };
}

/** A PEM private key (RSA → RS256, P-256 → ES256); anything else is refused with the reason. */
export function fromPem(pem: string): KeyMaterial {
  const key = createPrivateKey(pem);
  const alg = algorithmOf(key);
  const spki = createPublicKey(key).export({ format: 'der', type: 'spki' });
  return asymmetric(derivedKid(spki), alg, key);
}

function algorithmOf(key: KeyObject): Algorithm {
  if (key.asymmetricKeyType === 'rsa' && (key.asymmetricKeyDetails?.modulusLength ?? 0) >= 2048) return 'RS256';
  if (key.asymmetricKeyType === 'ec' && key.asymmetricKeyDetails?.namedCurve === 'prime256v1') return 'ES256';
  throw new Error('private key must be RSA of at least 2048 bits (RS256) or EC P-256 (ES256)');
}

function asymmetric(kid: string, alg: Algorithm, privateKey: KeyObject): KeyMaterial {
  const publicKey = createPublicKey(privateKey);
  const jwk = publicKey.export({ format: 'jwk' });
  return { kid, alg, signKey: privateKey, verifyKey: publicKey, publicJwk: { ...jwk, kid, alg, use: 'sig' } };
}

/** A kid that names a configured key without revealing anything a signed token does not. */
export function derivedKid(bytes: Uint8Array): string {
  return createHash('sha256').update('headlesskey-kid:').update(bytes).digest('base64url').slice(0, 16);
}
