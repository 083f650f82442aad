import { ConfigError, int, optionalStr, str } from '@headlesskey/platform';

export interface TokensConfig {
  /** HS256 secret as its UTF-8 bytes (as the plugin's PHP uses it); else one is generated and kept. */
  secretKey?: Uint8Array;
  issuer: string;
  audience: string;
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
  return {
    secretKey,
    issuer: str(env, 'HEADLESSKEY_ISSUER', `http://localhost:${port}`),
    audience: str(env, 'HEADLESSKEY_AUDIENCE', 'headlesskey'),
  };
}
