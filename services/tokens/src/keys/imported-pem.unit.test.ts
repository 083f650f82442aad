import { generateKeyPairSync } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { readImportedPem } from './imported-pem.js';
import { fromPem } from './key-material.js';

const pemOf = (pair: { privateKey: string }) => pair.privateKey;
const rsa = (bits: number, type: 'pkcs1' | 'pkcs8' = 'pkcs8') =>
  pemOf(
    generateKeyPairSync('rsa', {
      modulusLength: bits,
      privateKeyEncoding: { type, format: 'pem' },
      publicKeyEncoding: { type: 'spki', format: 'pem' },
    }),
  );
const ec = (namedCurve: string, type: 'sec1' | 'pkcs8' = 'pkcs8') =>
  pemOf(
    generateKeyPairSync('ec', {
      namedCurve,
      privateKeyEncoding: { type, format: 'pem' },
      publicKeyEncoding: { type: 'spki', format: 'pem' },
    }),
  );

describe('readImportedPem', () => {
  it('gives a key the kid it has when it comes from HEADLESSKEY_PRIVATE_KEY', () => {
    for (const [alg, pem] of [
      ['RS256', rsa(2048)],
      ['ES256', ec('prime256v1')],
    ] as const) {
      const read = readImportedPem(alg, pem);
      expect(read.ok && read.kid).toBe(fromPem(pem).kid);
    }
  });

  it.each([
    ['RS256', rsa(2048)],
    ['RS256', rsa(2048, 'pkcs1')],
    ['ES256', ec('prime256v1')],
    ['ES256', ec('prime256v1', 'sec1')],
  ] as const)('takes a %s key, as a private JWK with a kid of its public half', (alg, pem) => {
    const read = readImportedPem(alg, pem);
    expect(read).toMatchObject({ ok: true, kid: expect.stringMatching(/^[\w-]{16}$/), stored: { d: expect.any(String) } });
    expect(readImportedPem(alg, pem)).toEqual(read);
  });

  it.each([
    ['RS256', rsa(1024), 'is an RSA key of 1024 bits; RS256 needs at least 2048.'],
    ['ES256', ec('secp384r1'), 'is an EC key on secp384r1; ES256 needs P-256.'],
    ['ES256', rsa(2048), 'is not an EC key, as ES256 needs.'],
    ['RS256', ec('prime256v1'), 'is not an RSA key, as RS256 needs.'],
    ['RS256', '-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----', 'is a public key or certificate; a private key is needed.'],
    [
      'RS256',
      '-----BEGIN ENCRYPTED PRIVATE KEY-----\nAAAA\n-----END ENCRYPTED PRIVATE KEY-----',
      'is encrypted; give the key unencrypted.',
    ],
    [
      'RS256',
      '-----BEGIN RSA PRIVATE KEY-----\nProc-Type: 4,ENCRYPTED\n\nAAAA\n-----END RSA PRIVATE KEY-----',
      'is encrypted; give the key unencrypted.',
    ],
    ['RS256', '-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----', 'is not a readable PEM private key.'],
    ['RS256', `${rsa(2048)}${rsa(2048)}`, 'must be exactly one PEM block (-----BEGIN … PRIVATE KEY-----).'],
    ['RS256', 'junk', 'must be exactly one PEM block (-----BEGIN … PRIVATE KEY-----).'],
    ['RS256', 'A'.repeat(16_384), 'must be shorter than 16384 characters.'],
  ] as const)('refuses for %s: %#', (alg, pem, reason) => {
    expect(readImportedPem(alg, pem)).toEqual({ ok: false, reason: `private_key ${reason}` });
  });
});
