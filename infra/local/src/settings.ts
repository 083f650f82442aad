import { int, readCommonConfig, str } from '@headlesskey/platform';

type Env = Record<string, string | undefined>;

/** What the caller may decide; anything left out comes from the environment, then the defaults. */
export interface SettingsOptions {
  instance?: string;
  port?: number;
  natsUrl?: string;
  databaseUrl?: string;
  env?: Record<string, string>;
}

export interface SystemSettings {
  instance: string;
  port: number;
  /** Where the gateway listens: `127.0.0.1` unless `HEADLESSKEY_HOST` says otherwise. */
  host: string;
  /** Where this machine reaches the gateway: `http://127.0.0.1:8080`. */
  url: string;
  /** `url` plus the REST base path: `http://127.0.0.1:8080/wp-json/headlesskey/v1`. */
  apiUrl: string;
  natsUrl: string;
  databaseUrl: string;
  /**
   * `HEADLESSKEY_SPARES` (1, the default, or 0): keep a process of each service loaded and waiting,
   * to replace a crashed replica in a fraction of a start (spares.ts).
   */
  spares: boolean;
  /** The complete environment of every service process. */
  env: Record<string, string>;
}

/**
 * Settles instance, port and backend URLs once, so every service gets the same values and the
 * supervisor polls the port the gateway really listens on. Options beat `opts.env`, which beats
 * the inherited environment. Bad values throw the platform's one-line `ConfigError`.
 */
export function systemSettings(opts: SettingsOptions, inherited: Env = process.env): SystemSettings {
  const merged: Env = {
    ...inherited,
    ...opts.env,
    ...definedOnly({
      HEADLESSKEY_INSTANCE: opts.instance,
      HEADLESSKEY_PORT: opts.port?.toString(),
      NATS_URL: opts.natsUrl,
      DATABASE_URL: opts.databaseUrl,
    }),
  };
  const common = readCommonConfig(merged);
  // The gateway's own defaults, repeated here because the supervisor must know them up front.
  const port = int(merged, 'HEADLESSKEY_PORT', 8080, 1, 65535);
  const host = str(merged, 'HEADLESSKEY_HOST', '127.0.0.1');
  const url = `http://${reachableHost(host)}:${port}`;
  const namespace = str(merged, 'HEADLESSKEY_REST_NAMESPACE', 'headlesskey');
  const version = str(merged, 'HEADLESSKEY_REST_VERSION', 'v1');
  return {
    instance: common.instance,
    port,
    host,
    url,
    apiUrl: `${url}/wp-json/${namespace}/${version}`,
    natsUrl: common.natsUrl,
    databaseUrl: common.databaseUrl,
    spares: int(merged, 'HEADLESSKEY_SPARES', 1, 0, 1) === 1,
    env: {
      ...definedOnly(merged),
      HEADLESSKEY_INSTANCE: common.instance,
      HEADLESSKEY_PORT: String(port),
      NATS_URL: common.natsUrl,
      DATABASE_URL: common.databaseUrl,
    },
  };
}

/** A gateway listening on every interface is reached through loopback. */
function reachableHost(host: string): string {
  if (host === '0.0.0.0') return '127.0.0.1';
  if (host === '::') return '[::1]';
  return host.includes(':') ? `[${host}]` : host;
}

function definedOnly(env: Env): Record<string, string> {
  return Object.fromEntries(Object.entries(env).filter((entry): entry is [string, string] => entry[1] !== undefined));
}
