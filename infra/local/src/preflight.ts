import { answers, canListen } from './ports.js';
import type { SystemSettings } from './settings.js';

const DEFAULT_PORTS: Record<string, number> = { 'nats:': 4222, 'tls:': 4222, 'postgres:': 5432, 'postgresql:': 5432 };

/**
 * What would otherwise fail in every service at once, or make the supervisor mistake another
 * process for its gateway, checked before anything starts; each failure is one line. Says only
 * host and port of a backend: its URL may carry a password.
 */
export async function preflight({ host, port, natsUrl, databaseUrl }: SystemSettings): Promise<void> {
  if (!(await canListen(port, host))) {
    throw new Error(`port ${port} on ${host} is already in use (is HeadlessKey running?); stop that process or set HEADLESSKEY_PORT`);
  }
  const nats = natsUrl.split(',').map((url) => endpoint(url.trim()));
  if (!(await anyAnswers(nats))) {
    throw new Error(`NATS_URL: nothing answers at ${nats.join(', ')}; start NATS with JetStream there or point NATS_URL at one`);
  }
  const database = endpoint(databaseUrl);
  // A URL without a host means a local socket; the services say what is wrong with it.
  if (database !== undefined && !(await anyAnswers([database]))) {
    throw new Error(`DATABASE_URL: nothing answers at ${database}; start PostgreSQL there or point DATABASE_URL at one`);
  }
}

/** `host:port` of a backend URL, its scheme's default port filled in; undefined without a host. */
function endpoint(url: string): string | undefined {
  const parsed = new URL(url);
  if (parsed.hostname === '') return undefined;
  return `${parsed.hostname}:${parsed.port || DEFAULT_PORTS[parsed.protocol]}`;
}

async function anyAnswers(endpoints: (string | undefined)[]): Promise<boolean> {
  const checks = endpoints.map((hostPort) => (hostPort === undefined ? Promise.resolve(true) : answers(`tcp://${hostPort}`, 2_000)));
  return (await Promise.all(checks)).some(Boolean);
}
