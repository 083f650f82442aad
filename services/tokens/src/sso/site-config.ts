import { createPublicKey, type KeyObject } from 'node:crypto';
import type { ssoCommands } from '@headlesskey/contracts';
import { checkUrl } from '@headlesskey/platform';
import type { SiteConfig } from './site.js';

type Input = Omit<ssoCommands.CreateSsoSiteBody, 'site_key'>;
type Patch = ssoCommands.UpdateSsoSiteBody;

/** Field name → why it is refused: the `params` of a `rest_invalid_param` answer. */
export type Problems = Record<string, string>;
export type Checked = { ok: true; config: SiteConfig } | { ok: false; params: Problems };

/** RFC 7518 §3.2: an HS256 key is at least as long as the hash, 256 bits. */
const MIN_HS256_BYTES = 32;
const MIN_RSA_BITS = 2048;
const METHOD_FIELDS = { hs256: 'hs256_secret', public_key: 'public_key', jwks: 'jwks_url' } as const;

/**
 * Checks a site's settings as a whole: the chosen verification has its key material, no other
 * method's material is given, the algorithm fits the key, a PEM is a public key of a kind we
 * verify, a JWKS URL is one we may fetch. Nothing is kept unless all of it holds.
 */
export function checkSiteConfig(input: Input): Checked {
  const params: Problems = {};
  for (const [method, field] of Object.entries(METHOD_FIELDS)) {
    if (method !== input.verification && input[field] !== undefined && input[field] !== null) {
      params[field] = `${field} is only used with verification "${method}".`;
    }
  }
  const base = {
    issuer: input.issuer,
    audience: input.audience ?? null,
    verification: input.verification,
    provision_users: input.provision_users ?? false,
    link_by_email: input.link_by_email ?? false,
    default_role: input.default_role ?? 'subscriber',
    hs256_secret: null,
    public_key: null,
    jwks_url: null,
  } as const;
  const method = methodConfig(input, params);
  if (!method || Object.keys(params).length > 0) return { ok: false, params };
  return { ok: true, config: { ...base, ...method } };
}

/**
 * The settings a PATCH leaves: the stored ones with the patch over them. Changing the
 * verification drops the old method's key material and algorithm, so they never linger unseen.
 */
export function patchedInput(stored: SiteConfig, patch: Patch): Input {
  const switching = patch.verification !== undefined && patch.verification !== stored.verification;
  const kept: Input = {
    issuer: stored.issuer,
    audience: stored.audience,
    verification: stored.verification,
    provision_users: stored.provision_users,
    link_by_email: stored.link_by_email,
    default_role: stored.default_role,
    ...(switching
      ? {}
      : {
          algorithm: stored.algorithm,
          ...(stored.hs256_secret ? { hs256_secret: stored.hs256_secret } : {}),
          ...(stored.public_key ? { public_key: stored.public_key } : {}),
          ...(stored.jwks_url ? { jwks_url: stored.jwks_url } : {}),
        }),
  };
  const given = Object.fromEntries(Object.entries(patch).filter(([, value]) => value !== undefined));
  return { ...kept, ...given } as Input;
}

type MethodConfig = Pick<SiteConfig, 'algorithm' | 'hs256_secret' | 'public_key' | 'jwks_url'>;

function methodConfig(input: Input, params: Problems): MethodConfig | undefined {
  switch (input.verification) {
    case 'hs256':
      return hs256Config(input, params);
    case 'public_key':
      return publicKeyConfig(input, params);
    case 'jwks':
      return jwksConfig(input, params);
    default:
      return assertNever(input.verification);
  }
}

function hs256Config(input: Input, params: Problems): MethodConfig | undefined {
  if (input.algorithm !== undefined && input.algorithm !== 'HS256') params.algorithm = 'verification "hs256" uses HS256.';
  const secret = input.hs256_secret;
  if (secret === undefined) params.hs256_secret = 'hs256_secret is required with verification "hs256".';
  else if (Buffer.byteLength(secret, 'utf8') < MIN_HS256_BYTES) {
    params.hs256_secret = `hs256_secret must be at least ${MIN_HS256_BYTES} bytes.`;
  }
  if (secret === undefined || params.algorithm || params.hs256_secret) return undefined;
  return { algorithm: 'HS256', hs256_secret: secret, public_key: null, jwks_url: null };
}

function publicKeyConfig(input: Input, params: Problems): MethodConfig | undefined {
  if (input.public_key === undefined) {
    params.public_key = 'public_key is required with verification "public_key".';
    return undefined;
  }
  const key = parsePublicKey(input.public_key);
  if (typeof key === 'string') {
    params.public_key = key;
    return undefined;
  }
  const algorithm = algorithmOfKey(key);
  if (!algorithm) {
    params.public_key = `public_key must be an RSA key of at least ${MIN_RSA_BITS} bits or an EC P-256 key.`;
    return undefined;
  }
  if (input.algorithm !== undefined && input.algorithm !== algorithm) {
    params.algorithm = `the public key is for ${algorithm}.`;
    return undefined;
  }
  const pem = key.export({ type: 'spki', format: 'pem' }).toString();
  return { algorithm, hs256_secret: null, public_key: pem, jwks_url: null };
}

function jwksConfig(input: Input, params: Problems): MethodConfig | undefined {
  if (input.algorithm !== 'RS256' && input.algorithm !== 'ES256') {
    params.algorithm = 'algorithm must be RS256 or ES256 with verification "jwks".';
  }
  if (input.jwks_url === undefined) params.jwks_url = 'jwks_url is required with verification "jwks".';
  else {
    const url = checkJwksUrl(input.jwks_url);
    if (typeof url === 'string') params.jwks_url = url;
    else if (!params.algorithm)
      return { algorithm: input.algorithm as 'RS256' | 'ES256', hs256_secret: null, public_key: null, jwks_url: url.href };
  }
  return undefined;
}

/** A PEM public key, or why not. A private key is refused: it would be stored and shown. */
function parsePublicKey(pem: string): KeyObject | string {
  if (/PRIVATE KEY/.test(pem)) return 'public_key must be a public key, never a private one.';
  if (!/-----BEGIN (RSA )?PUBLIC KEY-----/.test(pem)) return 'public_key must be a PEM public key (-----BEGIN PUBLIC KEY-----).';
  try {
    return createPublicKey({ key: pem, format: 'pem' });
  } catch {
    return 'public_key is not a readable PEM public key.';
  }
}

function algorithmOfKey(key: KeyObject): 'RS256' | 'ES256' | undefined {
  const details = key.asymmetricKeyDetails;
  if (key.asymmetricKeyType === 'rsa' && (details?.modulusLength ?? 0) >= MIN_RSA_BITS) return 'RS256';
  if (key.asymmetricKeyType === 'ec' && details?.namedCurve === 'prime256v1') return 'ES256';
  return undefined;
}

const LOOPBACK = /^(localhost|127(?:\.\d{1,3}){3}|\[::1\])$/;

/**
 * The form of a JWKS URL, which the tokens service fetches: an outbound URL as any other, and
 * moreover https, or plain http to this machine only (a site beside this one in development, which
 * the address rule still refuses unless private addresses are allowed); no fragment. Where it
 * points is the outbound guard's to check, when the site is kept and at each connection.
 */
export function checkJwksUrl(text: string): URL | string {
  const checked = checkUrl(text, 'jwks_url');
  if (!checked.ok) return checked.reason;
  const { url } = checked;
  if (url.protocol !== 'https:' && !LOOPBACK.test(url.hostname)) return 'jwks_url must use https (plain http only to localhost).';
  if (url.hash !== '') return 'jwks_url must not have a fragment.';
  return url;
}

function assertNever(value: never): never {
  throw new Error(`unhandled verification ${String(value)}`);
}
