import { isIP } from 'node:net';
import { bool, ConfigError, DEFAULT_COMMAND_TIMEOUT_MS, int, optionalStr, pattern, str } from '@headlesskey/platform';

type Env = Record<string, string | undefined>;

/** What the gateway reads from the environment beyond the common configuration. */
export interface GatewayConfig {
  port: number;
  host: string;
  /** First segment of the REST base path: `/wp-json/{namespace}/{version}`. */
  namespace: string;
  version: string;
  /** Also serve every route under `/wp-json/wpauthapi/v1`, the plugin page's other default. */
  legacyNamespace: boolean;
  /** Largest request body accepted, in bytes. */
  bodyLimit: number;
  /** Peers (IPs or CIDRs) whose `X-Forwarded-For` is believed; empty: the socket address is the client. */
  trustedProxies: string[];
  commandTimeoutMs: number;
}

/** A namespace or version becomes a path segment, so it is kept to URL-safe characters. */
const SEGMENT = /^[A-Za-z0-9_-]{1,64}$/;
const SEGMENT_RULE = 'letters, digits, - and _ (at most 64)';

/** Reads and checks the gateway settings; a bad value throws a `ConfigError` naming the variable. */
export function readGatewayConfig(env: Env = process.env): GatewayConfig {
  return {
    port: int(env, 'HEADLESSKEY_PORT', 8080, 1, 65535),
    host: str(env, 'HEADLESSKEY_HOST', '127.0.0.1'),
    namespace: pattern(env, 'HEADLESSKEY_REST_NAMESPACE', 'headlesskey', SEGMENT, SEGMENT_RULE),
    version: pattern(env, 'HEADLESSKEY_REST_VERSION', 'v1', SEGMENT, SEGMENT_RULE),
    legacyNamespace: bool(env, 'HEADLESSKEY_LEGACY_NAMESPACE', true),
    bodyLimit: int(env, 'HEADLESSKEY_BODY_LIMIT', 16_384, 1024, 10 * 1024 * 1024),
    trustedProxies: addressList(env, 'HEADLESSKEY_TRUSTED_PROXIES'),
    commandTimeoutMs: int(env, 'HEADLESSKEY_COMMAND_TIMEOUT_MS', DEFAULT_COMMAND_TIMEOUT_MS, 100, 120_000),
  };
}

/**
 * A comma list of IPs and CIDRs. Checked here rather than left to Fastify's proxy-addr, which
 * would fail at start with a message that does not name the variable.
 */
function addressList(env: Env, name: string): string[] {
  const raw = optionalStr(env, name);
  if (raw === undefined) return [];
  const entries = raw
    .split(',')
    .map((entry) => entry.trim())
    .filter((entry) => entry !== '');
  for (const entry of entries) {
    if (!isAddressOrCidr(entry)) throw new ConfigError(`${name}: expected IP addresses or CIDRs separated by commas, got "${entry}"`);
  }
  return entries;
}

function isAddressOrCidr(entry: string): boolean {
  const [address = '', bits, ...rest] = entry.split('/');
  const family = isIP(address);
  if (family === 0 || rest.length > 0) return false;
  if (bits === undefined) return true;
  if (!/^\d{1,3}$/.test(bits)) return false;
  return Number(bits) <= (family === 4 ? 32 : 128);
}
