import { isIP } from 'node:net';
import { fileURLToPath } from 'node:url';
import { bool, DEFAULT_COMMAND_TIMEOUT_MS, int, list, MAX_RATE_WINDOW_MS, pattern, type RateRule, str } from '@headlesskey/platform';

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
  cors: CorsConfig;
  rateLimits: RateLimits;
  console: ConsoleConfig;
}

/** The admin console's single-page app (packages/console), served from its build. */
export interface ConsoleConfig {
  enabled: boolean;
  /** Where it is served, with both slashes: `/admin/`. */
  path: string;
  /** Its built files (`index.html`, `assets/`). */
  dir: string;
}

/**
 * Per client IP budgets of the public routes that name an account or cost a mail, shared by every
 * gateway of the instance; a route's `rateLimit` says which applies. Undefined: no limit.
 */
export interface RateLimits {
  /** `/register` and `/forgot-password`, each its own budget: people, perhaps many behind one NAT. */
  public: RateRule | undefined;
  /** `/sso/exchange`: a connected site's backend, exchanging for all its users from few addresses. */
  sso: RateRule | undefined;
}

/** Which browser origins may call the API (`Access-Control-Allow-Origin`). */
export interface CorsConfig {
  enabled: boolean;
  /**
   * `any`: every origin, never with credentials. Otherwise the exact origins (`https://app.example.com`)
   * that are answered with their own origin and `Access-Control-Allow-Credentials`.
   */
  origins: 'any' | readonly string[];
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
    cors: readCorsConfig(env),
    rateLimits: readRateLimits(env),
    console: readConsoleConfig(env),
  };
}

/** Segments of letters, digits, - and _, between slashes; never the REST base or the gateway's own routes. */
const CONSOLE_PATH = /^\/(?!wp-json\/|docs\/|healthz\/|readyz\/|metrics\/)([A-Za-z0-9_-]{1,64}\/){1,4}$/;

function readConsoleConfig(env: Env): ConsoleConfig {
  return {
    enabled: bool(env, 'HEADLESSKEY_CONSOLE', true),
    path: pattern(env, 'HEADLESSKEY_CONSOLE_PATH', '/admin/', CONSOLE_PATH, 'a path such as /admin/, with both slashes'),
    // The workspace's build, beside this package's `dist/`.
    dir: str(env, 'HEADLESSKEY_CONSOLE_DIR', fileURLToPath(new URL('../../../packages/console/dist', import.meta.url))),
  };
}

function readRateLimits(env: Env): RateLimits {
  const windowMs = int(env, 'HEADLESSKEY_RATE_LIMIT_WINDOW', 60, 1, MAX_RATE_WINDOW_MS / 1000) * 1000;
  const rule = (max: number): RateRule | undefined => (max === 0 ? undefined : { max, windowMs });
  return {
    public: rule(int(env, 'HEADLESSKEY_RATE_LIMIT', 20, 0, 1_000_000)),
    sso: rule(int(env, 'HEADLESSKEY_SSO_RATE_LIMIT', 600, 0, 1_000_000)),
  };
}

function readCorsConfig(env: Env): CorsConfig {
  const origins = list(env, 'HEADLESSKEY_CORS_ORIGINS', 'origins such as https://app.example.com separated by commas', isOrigin);
  return { enabled: bool(env, 'HEADLESSKEY_CORS', true), origins: origins.length > 0 ? origins : 'any' };
}

/**
 * An origin exactly as a browser sends it: scheme, host and port only, lower case, no default port,
 * no path and no trailing slash. Anything else could never equal an `Origin` header.
 */
function isOrigin(entry: string): boolean {
  try {
    const parsed = new URL(entry);
    // A `*` would read as a wildcard, which it is not: the list holds exact origins only.
    return (parsed.protocol === 'http:' || parsed.protocol === 'https:') && parsed.origin === entry && !entry.includes('*');
  } catch {
    return false;
  }
}

/**
 * A comma list of IPs and CIDRs. Checked here rather than left to Fastify's proxy-addr, which
 * would fail at start with a message that does not name the variable.
 */
function addressList(env: Env, name: string): string[] {
  return list(env, name, 'IP addresses or CIDRs separated by commas', isAddressOrCidr);
}

function isAddressOrCidr(entry: string): boolean {
  const [address = '', bits, ...rest] = entry.split('/');
  const family = isIP(address);
  if (family === 0 || rest.length > 0) return false;
  if (bits === undefined) return true;
  if (!/^\d{1,3}$/.test(bits)) return false;
  return Number(bits) <= (family === 4 ? 32 : 128);
}
