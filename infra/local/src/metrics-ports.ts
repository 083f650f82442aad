import { ConfigError, readMetricsConfig } from '@headlesskey/platform';
import { canListen, freePort, PORT_RANGE } from './ports.js';
import { START_ORDER } from './process-group.js';
import { MAX_REPLICAS } from './replicas.js';
import type { ServiceName } from './service-process.js';

type Env = Record<string, string | undefined>;

const VARIABLE = 'HEADLESSKEY_METRICS_PORT';
/** The highest offset: the last service's block, and the last replica in it. */
const SPAN = START_ORDER.length * MAX_REPLICAS + MAX_REPLICAS - 1;

/**
 * Where each process of `npm start` serves `/metrics`, from `HEADLESSKEY_METRICS_PORT` = P: the
 * supervisor on P, replica r of the n-th service of `START_ORDER` (from 1) on P + 16·n + r, so a
 * process keeps its port whatever the replica counts (identity P+16, tokens P+32, audit P+48,
 * webhooks P+64, gateway P+80). Unset or 0: none of them.
 */
export function metricsPort(base: number, service: ServiceName, replica: number): number {
  return base + MAX_REPLICAS * (START_ORDER.indexOf(service) + 1) + replica;
}

/** The base port, checked so that every process's port exists and none is the API's (`apiPort`). */
export function metricsBase(env: Env, apiPort?: number): number {
  const base = readMetricsConfig(env).port;
  if (base > 0 && base + SPAN > 65535) throw new ConfigError(`${VARIABLE}: at most ${65535 - SPAN}, to leave room for every process`);
  if (base > 0 && apiPort !== undefined && apiPort >= base && apiPort <= base + SPAN) {
    throw new ConfigError(
      `${VARIABLE}: ${base} to ${base + SPAN} are the metrics ports of npm start's processes; the API's port ${apiPort} is among them`,
    );
  }
  return base;
}

/** The environment that gives one process its own port; nothing when metrics are off. */
export function metricsEnv(base: number, service: ServiceName, replica: number): Record<string, string> {
  return base === 0 ? {} : { [VARIABLE]: String(metricsPort(base, service, replica)) };
}

/** One line naming each process's metrics port, for `npm start` to print; undefined when metrics are off. */
export function describeMetricsPorts(env: Env, processes: readonly { service: ServiceName; replica: number }[]): string | undefined {
  const base = metricsBase(env);
  if (base === 0) return undefined;
  const ports = processes.map((p) => `${p.service}${p.replica > 0 ? `#${p.replica}` : ''} ${metricsPort(base, p.service, p.replica)}`);
  return `Metrics for Prometheus at http://${readMetricsConfig(env).host}:<port>/metrics: supervisor ${base}, ${ports.join(', ')}`;
}

/** A base port whose own port and the first replica's of every service are free now (tests, a second run). */
export async function freeMetricsBase(host = '127.0.0.1'): Promise<number> {
  for (let attempt = 0; attempt < 20; attempt++) {
    const base = await freePort(host);
    const ports = START_ORDER.map((service) => metricsPort(base, service, 0));
    if (
      ports.every((port) => port <= PORT_RANGE.highest) &&
      (await Promise.all(ports.map((port) => canListen(port, host)))).every(Boolean)
    ) {
      return base;
    }
  }
  throw new Error('no free block of metrics ports');
}
