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
  const alg = key.asymmetricKeyType === 'rsa' ? 'RS256' : 'ES256';
  if (unfitFor(alg, key)) throw new Error('private key must be RSA of at least 2048 bits (RS256) or EC P-256 (ES256)');
  return asymmetric(kidOf(key), alg, key);
}

/** Why `key` cannot sign `alg` (RSA of 2048 bits or more, EC on P-256), or undefined when it can. */
export function unfitFor(alg: Exclude<Algorithm, 'HS256'>, key: KeyObject): string | undefined {
  if (alg === 'RS256') {
    if (key.asymmetricKeyType !== 'rsa') return 'is not an RSA key, as RS256 needs.';
    const bits = key.asymmetricKeyDetails?.modulusLength ?? 0;
    return bits < 2048 ? `is an RSA key of ${bits} bits; RS256 needs at least 2048.` : undefined;
  }
  if (key.asymmetricKeyType !== 'ec') return 'is not an EC key, as ES256 needs.';
  const curve = key.asymmetricKeyDetails?.namedCurve;
  return curve !== 'prime256v1' ? `is an EC key on ${curve ?? 'an unnamed curve'}; ES256 needs P-256.` : undefined;
}

/** The kid of a private key, from its public half: the same key, wherever it comes from, has one kid. */
export function kidOf(privateKey: KeyObject): string {
  return derivedKid(createPublicKey(privateKey).export({ format: 'der', type: 'spki' }));
}

function asymmetric(kid: string, alg: Algorithm, privateKey: KeyObject): KeyMaterial {
  const publicKey = createPublicKey(privateKey);
  const jwk = publicKey.export({ format: 'jwk' });
  return { kid, alg, signKey: privateKey, verifyKey: publicKey, publicJwk: { ...jwk, kid, alg, use: 'sig' } };
}

/** A kid that names a configured key without revealing anything a signed token does not. */
function derivedKid(bytes: Uint8Array): string {
  return createHash('sha256').update('headlesskey-kid:').update(bytes).digest('base64url').slice(0, 16);
}
