import { INSTANCE_PATTERN, type Names, names } from '@headlesskey/contracts';
import { int, oneOf, pattern, str, url, urlList } from './env.js';

type Env = Record<string, string | undefined>;

/** What every process reads: where the bus and the stores are, and whose names to use. */
export interface CommonConfig {
  instance: string;
  names: Names;
  /** One server URL, or a cluster's as a comma-separated list. */
  natsUrl: string;
  /** Server URL; each service derives its own database name from the instance. */
  databaseUrl: string;
  logLevel: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';
  /** Replicas of the event stream and the settings bucket: 1 on one server, 3 on a cluster. */
  streamReplicas: number;
  metrics: MetricsConfig;
}

/** Where this process serves its metrics to Prometheus, and how often it pushes them over OTLP. */
export interface MetricsConfig {
  /** 0: no `/metrics` endpoint. */
  port: number;
  host: string;
  exportIntervalMs: number;
}

export const DEFAULT_NATS_URL = 'nats://127.0.0.1:4222';
export const DEFAULT_DATABASE_URL = 'postgres://postgres@127.0.0.1:5432/postgres';

export function readCommonConfig(env: Env = process.env): CommonConfig {
  const instance = pattern(
    env,
    'HEADLESSKEY_INSTANCE',
    'hk',
    INSTANCE_PATTERN,
    'lower-case letters, digits and _ (starting with a letter, at most 31)',
  );
  return {
    instance,
    names: names(instance),
    natsUrl: urlList(env, 'NATS_URL', DEFAULT_NATS_URL, ['nats:', 'tls:']),
    databaseUrl: url(env, 'DATABASE_URL', DEFAULT_DATABASE_URL, ['postgres:', 'postgresql:']),
    logLevel: oneOf(env, 'LOG_LEVEL', 'info', ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const),
    streamReplicas: int(env, 'HEADLESSKEY_STREAM_REPLICAS', 1, 1, 5),
    metrics: readMetricsConfig(env),
  };
}

export function readMetricsConfig(env: Env = process.env): MetricsConfig {
  return {
    port: int(env, 'HEADLESSKEY_METRICS_PORT', 0, 0, 65535),
    // Metrics tell how the system is used: kept off the network unless an operator opens them.
    host: str(env, 'HEADLESSKEY_METRICS_HOST', '127.0.0.1'),
    exportIntervalMs: int(env, 'OTEL_METRIC_EXPORT_INTERVAL', 60_000, 1000, 3_600_000),
  };
}
