import { readFileSync } from 'node:fs';
import { ConfigError, type GuardOptions, int, optionalStr, readAllowPrivate, str } from '@headlesskey/platform';
import { fromPem, fromSecret, type KeyMaterial } from './keys/key-material.js';

export interface TokensConfig {
  /**
   * Keys from the environment: the HS256 secret of HEADLESSKEY_SECRET_KEY (its UTF-8 bytes, as
   * the plugin's PHP uses it) and the PEM of HEADLESSKEY_PRIVATE_KEY(_FILE). Any other
   * algorithm signs with a key generated once and kept in the store.
   */
  configuredKeys: KeyMaterial[];
  issuer: string;
  audience: string;
  /** How the JWKS of connected sites are fetched: the outbound guard, private addresses allowed or not. */
  outbound: GuardOptions;
}

const MIN_SECRET_BYTES = 32;

export function readTokensConfig(env: NodeJS.ProcessEnv = process.env): TokensConfig {
  const secret = optionalStr(env, 'HEADLESSKEY_SECRET_KEY');
  const secretKey = secret === undefined ? undefined : new TextEncoder().encode(secret);
  if (secretKey && secretKey.length < MIN_SECRET_BYTES) {
    // The value itself is never echoed.
    throw new ConfigError(`HEADLESSKEY_SECRET_KEY: expected at least ${MIN_SECRET_BYTES} bytes, got ${secretKey.length}`);
  }
  const port = int(env, 'HEADLESSKEY_PORT', 8080, 1, 65_535);
  const pem = readPem(env);
  return {
    configuredKeys: [...(secretKey ? [fromSecret(secretKey)] : []), ...(pem ? [pemKey(pem)] : [])],
    issuer: str(env, 'HEADLESSKEY_ISSUER', `http://localhost:${port}`),
    audience: str(env, 'HEADLESSKEY_AUDIENCE', 'headlesskey'),
    outbound: { allowPrivate: readAllowPrivate(env) },
  };
}

function readPem(env: NodeJS.ProcessEnv): string | undefined {
  const inline = optionalStr(env, 'HEADLESSKEY_PRIVATE_KEY');
  if (inline) return inline.replace(/\\n/g, '\n');
  const file = optionalStr(env, 'HEADLESSKEY_PRIVATE_KEY_FILE');
  if (!file) return undefined;
  try {
    return readFileSync(file, 'utf8');
  } catch {
    throw new ConfigError(`HEADLESSKEY_PRIVATE_KEY_FILE: expected a readable PEM file, got "${file}"`);
  }
}

function pemKey(pem: string): KeyMaterial {
  try {
    return fromPem(pem);
  } catch (err) {
    // The key itself is never echoed.
    throw new ConfigError(`HEADLESSKEY_PRIVATE_KEY: expected a PEM private key, RSA (2048+ bits) or EC P-256: ${(err as Error).message}`);
  }
}
