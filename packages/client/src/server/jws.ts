import { tokenError } from '../errors.js';

/** The algorithms HeadlessKey signs with; nothing else is ever taken (RFC 8725 §3.1). */
export type Algorithm = 'HS256' | 'RS256' | 'ES256';
const ALGORITHMS: readonly Algorithm[] = ['HS256', 'RS256', 'ES256'];

/** Web Crypto's names for each algorithm, to import its key and to verify with it. */
export const WEB_CRYPTO: Readonly<
  Record<
    Algorithm,
    { importParams: RsaHashedImportParams | EcKeyImportParams | HmacImportParams; verifyParams: AlgorithmIdentifier | EcdsaParams }
  >
> = {
  HS256: { importParams: { name: 'HMAC', hash: 'SHA-256' }, verifyParams: 'HMAC' },
  RS256: { importParams: { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256' }, verifyParams: 'RSASSA-PKCS1-v1_5' },
  ES256: { importParams: { name: 'ECDSA', namedCurve: 'P-256' }, verifyParams: { name: 'ECDSA', hash: 'SHA-256' } },
};

/** The three parts of a compact JWS, decoded; `signingInput` is what the signature covers. */
export interface Jws {
  header: Record<string, unknown>;
  payload: Record<string, unknown>;
  signature: Uint8Array<ArrayBuffer>;
  signingInput: Uint8Array<ArrayBuffer>;
}

const B64URL = /^[A-Za-z0-9_-]*$/;
/** Header parameters that carry or point at a key: a verifier never takes its key from the token. */
const KEY_PARAMETERS = ['jwk', 'jku', 'x5u', 'x5c', 'x5t', 'x5t#S256'];
const MAX_TOKEN_LENGTH = 8192;

const invalid = (reason: string) => tokenError('headlesskey_invalid_token', reason);

/** Splits and decodes a compact JWS, refusing anything not exactly one of ours in shape. */
export function parseJws(token: string): Jws {
  if (token.length > MAX_TOKEN_LENGTH) throw invalid('token too large');
  const parts = token.split('.');
  if (parts.length !== 3 || !parts.every((part) => B64URL.test(part))) throw invalid('malformed token');
  const [head, body, sig] = parts as [string, string, string];
  let signature: Uint8Array<ArrayBuffer>;
  try {
    signature = fromBase64Url(sig);
  } catch {
    throw invalid('malformed token');
  }
  // One signature, one spelling: bits past the last byte must be zero, as the signer wrote them.
  if (toBase64Url(signature) !== sig) throw invalid('signature not canonical base64url');
  const header = jsonObject(head);
  const payload = jsonObject(body);
  if (KEY_PARAMETERS.some((name) => name in header)) throw invalid('key in token header');
  if ('crit' in header) throw invalid('critical header parameters not understood');
  if (header.typ !== undefined && header.typ !== 'JWT') throw invalid('not a JWT');
  if (!ALGORITHMS.includes(header.alg as Algorithm)) throw invalid('algorithm not allowed');
  return { header, payload, signature, signingInput: new TextEncoder().encode(`${head}.${body}`) };
}

function jsonObject(part: string): Record<string, unknown> {
  let value: unknown;
  try {
    value = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(fromBase64Url(part)));
  } catch {
    throw invalid('malformed token');
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) throw invalid('malformed token');
  return value as Record<string, unknown>;
}

/** Decodes base64url; throws on text no encoder writes (a length of 4n + 1). */
function fromBase64Url(text: string): Uint8Array<ArrayBuffer> {
  if (text.length % 4 === 1) throw new SyntaxError('not base64url');
  const binary = atob(text.replace(/-/g, '+').replace(/_/g, '/') + '='.repeat((4 - (text.length % 4)) % 4));
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return bytes;
}

export function toBase64Url(bytes: Uint8Array): string {
  let binary = '';
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return btoa(binary).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

/** Checks the signature with `key`, whose algorithm the caller matched to the header's. */
export async function signatureHolds(jws: Jws, alg: Algorithm, key: CryptoKey): Promise<boolean> {
  return crypto.subtle.verify(WEB_CRYPTO[alg].verifyParams, key, jws.signature, jws.signingInput);
}
