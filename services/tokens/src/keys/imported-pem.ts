import { createPrivateKey, createPublicKey, type KeyObject } from 'node:crypto';
import { type Algorithm, derivedKid, type StoredMaterial } from './key-material.js';

export type ImportedKey = { ok: true; kid: string; stored: StoredMaterial } | { ok: false; reason: string };

/** Longer than any PEM key this service takes (an 8192-bit RSA key is about 6.5 KB). */
const MAX_PEM = 16_383;

/**
 * Reads an administrator's PEM private key for `alg`, as a stored private JWK and the kid derived
 * from its public half (the same key imported twice has one kid). A reason never quotes the input.
 */
export function readImportedPem(alg: Exclude<Algorithm, 'HS256'>, pem: string): ImportedKey {
  if (pem.length > MAX_PEM) return refuse(`must be shorter than ${MAX_PEM + 1} characters.`);
  const labels = [...pem.matchAll(/-----BEGIN ([A-Z0-9 ]+)-----/g)].map((m) => m[1]);
  if (labels.length !== 1) return refuse('must be exactly one PEM block (-----BEGIN … PRIVATE KEY-----).');
  const label = labels[0]!;
  if (label.includes('ENCRYPTED') || /Proc-Type:\s*4,ENCRYPTED/.test(pem)) return refuse('is encrypted; give the key unencrypted.');
  if (label.includes('PUBLIC') || label === 'CERTIFICATE') return refuse('is a public key or certificate; a private key is needed.');
  if (!label.endsWith('PRIVATE KEY')) return refuse('is not a PEM private key.');
  let key: KeyObject;
  try {
    key = createPrivateKey({ key: pem, format: 'pem' });
  } catch {
    return refuse('is not a readable PEM private key.');
  }
  const problem = alg === 'RS256' ? rsaProblem(key) : ecProblem(key);
  if (problem) return refuse(problem);
  const spki = createPublicKey(key).export({ format: 'der', type: 'spki' });
  return { ok: true, kid: derivedKid(spki), stored: key.export({ format: 'jwk' }) };
}

function rsaProblem(key: KeyObject): string | undefined {
  if (key.asymmetricKeyType !== 'rsa') return 'is not an RSA key, as RS256 needs.';
  const bits = key.asymmetricKeyDetails?.modulusLength ?? 0;
  if (bits < 2048) return `is an RSA key of ${bits} bits; RS256 needs at least 2048.`;
  return undefined;
}

function ecProblem(key: KeyObject): string | undefined {
  if (key.asymmetricKeyType !== 'ec') return 'is not an EC key, as ES256 needs.';
  const curve = key.asymmetricKeyDetails?.namedCurve;
  if (curve !== 'prime256v1') return `is an EC key on ${curve ?? 'an unnamed curve'}; ES256 needs P-256.`;
  return undefined;
}

function refuse(reason: string): ImportedKey {
  return { ok: false, reason: `private_key ${reason}` };
}
