import { existsSync } from 'node:fs';
import { relative } from 'node:path';
import { ProcessGroup, START_ORDER } from './process-group.js';
import { waitUntilReady } from './readiness.js';
import { REPO_ROOT } from './repo.js';
import { type ServiceName, type ServiceProcess, type Stdio, serviceEntry, spawnService } from './service-process.js';
import { type SettingsOptions, systemSettings } from './settings.js';

export interface StartSystemOptions extends SettingsOptions {
  /** Replicas per service, 1 each by default. The gateway runs once: replicas would share its port. */
  services?: Partial<Record<ServiceName, number>>;
  /** Default 'pipe'. */
  stdio?: Stdio;
  /** How long `/readyz` may take to answer 200; default 60 s. */
  readyTimeoutMs?: number;
}

export interface RunningSystem {
  /** Gateway origin, `http://127.0.0.1:8080`. */
  readonly url: string;
  /** REST base, `http://127.0.0.1:8080/wp-json/headlesskey/v1`. */
  readonly apiUrl: string;
  readonly instance: string;
  /** Every replica started so far, restarted ones included; current as of each read. */
  readonly processes: readonly ServiceProcess[];
  /** Signals every running replica of a service; resolves once they exited (SIGSTOP and SIGCONT at once). */
  kill(service: ServiceName, signal?: NodeJS.Signals): Promise<void>;
  /** Stops what is left of a service (SIGTERM), starts its replicas afresh and waits for `/readyz` 200. */
  restart(service: ServiceName): Promise<void>;
  /** SIGTERM to the gateway, then to the rest; SIGKILL to whatever is left after 10 s. Idempotent. */
  stop(): Promise<void>;
}

const READY_TIMEOUT_MS = 60_000;

/**
 * Runs every service as its own `node services/<name>/dist/main.js` process, configured only by
 * environment variables, and resolves once the gateway reports the whole system ready. Used by
 * `npm start`, the black-box tests and the benchmark.
 */
export async function startSystem(opts: StartSystemOptions = {}): Promise<RunningSystem> {
  const settings = systemSettings(opts);
  assertBuilt();
  const stdio = opts.stdio ?? 'pipe';
  const timeoutMs = opts.readyTimeoutMs ?? READY_TIMEOUT_MS;
  const group = new ProcessGroup(replicaCounts(opts.services), (service, replica) =>
    spawnService(REPO_ROOT, service, replica, settings.env, stdio),
  );
  for (const service of START_ORDER) group.launch(service);
  try {
    await waitUntilReady(settings.url, group.all(), timeoutMs);
  } catch (err) {
    await group.stop();
    throw err;
  }
  return {
    url: settings.url,
    apiUrl: settings.apiUrl,
    instance: settings.instance,
    get processes() {
      return group.all();
    },
    async kill(service, signal = 'SIGTERM') {
      const targets = group.running(service);
      for (const p of targets) p.child.kill(signal);
      if (signal !== 'SIGSTOP' && signal !== 'SIGCONT') await Promise.all(targets.map((p) => p.exited));
    },
    async restart(service) {
      await group.terminate(service);
      await waitUntilReady(settings.url, group.launch(service), timeoutMs);
    },
    stop: () => group.stop(),
  };
}

function replicaCounts(requested: StartSystemOptions['services'] = {}): Record<ServiceName, number> {
  const counts = Object.fromEntries(START_ORDER.map((service) => [service, requested[service] ?? 1])) as Record<ServiceName, number>;
  for (const [service, count] of Object.entries(counts)) {
    if (!Number.isInteger(count) || count < 1) {
      throw new Error(`services.${service}: expected a whole number of replicas from 1, got ${count}`);
    }
  }
  if (counts.gateway !== 1) throw new Error('services.gateway: one gateway per port; start another system for another gateway');
  return counts;
}

function assertBuilt(): void {
  const missing = START_ORDER.map((service) => serviceEntry(REPO_ROOT, service)).filter((entry) => !existsSync(entry));
  if (missing.length > 0) {
    throw new Error(`not built: ${missing.map((entry) => relative(REPO_ROOT, entry)).join(', ')}; run npm run build`);
  }
}
