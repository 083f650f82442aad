import { createPrivateKey, type KeyObject } from 'node:crypto';
import { PRIVATE_KEY_MAX } from '@headlesskey/contracts';
import { type Algorithm, kidOf, type StoredMaterial, unfitFor } from './key-material.js';

type ImportedKey = { ok: true; kid: string; stored: StoredMaterial } | { ok: false; reason: string };

/**
 * Reads an administrator's PEM private key for `alg`, as a stored private JWK and the kid derived
 * from its public half (the same key imported twice has one kid). A reason never quotes the input.
 */
export function readImportedPem(alg: Exclude<Algorithm, 'HS256'>, pem: string): ImportedKey {
  if (pem.length > PRIVATE_KEY_MAX) return refuse(`must be shorter than ${PRIVATE_KEY_MAX + 1} characters.`);
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
  const problem = unfitFor(alg, key);
  if (problem) return refuse(problem);
  return { ok: true, kid: kidOf(key), stored: key.export({ format: 'jwk' }) };
}

function refuse(reason: string): ImportedKey {
  return { ok: false, reason: `private_key ${reason}` };
}
