const BASE64URL = /^[A-Za-z0-9_-]+$/;

/**
 * Whether a compact JWS's signature segment is the one base64url spelling of its bytes (RFC 7515
 * §2, RFC 4648 §5): no padding, no `+` or `/`, no whitespace, no set bits past the last byte.
 * Decoders are lenient here, and the signature is not covered by itself, so without this check
 * one signed token has many accepted spellings (each a different string to log, cache or deny).
 */
export function hasCanonicalSignature(token: string): boolean {
  const signature = token.slice(token.lastIndexOf('.') + 1);
  return BASE64URL.test(signature) && Buffer.from(signature, 'base64url').toString('base64url') === signature;
}
