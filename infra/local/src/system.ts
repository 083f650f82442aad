import { existsSync } from 'node:fs';
import { relative } from 'node:path';
import { describeExit } from './child.js';
import { metricsBase, metricsEnv } from './metrics-ports.js';
import { preflight } from './preflight.js';
import { ProcessGroup, START_ORDER } from './process-group.js';
import { waitUntilReady } from './readiness.js';
import { replicaCounts } from './replicas.js';
import { REPO_ROOT } from './repo.js';
import { DEFAULT_RESTART_POLICY, type RestartPolicy } from './restart-policy.js';
import { newRunToken, RUN_TOKEN_ENV } from './run-token.js';
import { type ServiceName, type ServiceProcess, type Stdio, serviceEntry, spawnService, spawnSpare } from './service-process.js';
import { type SettingsOptions, systemSettings } from './settings.js';
import { SparePool } from './spares.js';

export interface StartSystemOptions extends SettingsOptions {
  /** Replicas per service, over `HEADLESSKEY_REPLICAS*`; 1 each by default. The gateway runs once. */
  services?: Partial<Record<ServiceName, number>>;
  /** Extra environment of one service's processes only, over everything else. */
  serviceEnv?: Partial<Record<ServiceName, Record<string, string>>>;
  /** Default 'pipe'. */
  stdio?: Stdio;
  /** How long `/readyz` may take to answer 200; default 60 s. */
  readyTimeoutMs?: number;
  /** When a crashed replica is started again, and when crashes are a loop that stops everything. */
  restartPolicy?: RestartPolicy;
  /** Where the supervisor says what it does (restarts); default nowhere. */
  log?: (line: string) => void;
}

export interface RunningSystem {
  /** Gateway origin, `http://127.0.0.1:8080`. */
  readonly url: string;
  /** REST base, `http://127.0.0.1:8080/wp-json/headlesskey/v1`. */
  readonly apiUrl: string;
  readonly instance: string;
  /** Every replica started so far, restarted ones included; current as of each read. */
  readonly processes: readonly ServiceProcess[];
  /** Resolves with a one-line reason once a crash loop made the supervisor stop everything. */
  readonly gaveUp: Promise<string>;
  /** How often a crashed replica of the service was started again. */
  restarts(service: ServiceName): number;
  /**
   * Signals every running replica of a service; resolves once they exited (SIGSTOP and SIGCONT at
   * once). A stop on purpose: the service stays down until `restart`.
   */
  kill(service: ServiceName, signal?: NodeJS.Signals): Promise<void>;
  /**
   * Resolves once the spares started so far have loaded (at once without spares): a system as it
   * runs a few seconds after its start, not while it is still loading them.
   */
  sparesLoaded(): Promise<void>;
  /** Stops what is left of a service (SIGTERM), starts its replicas afresh and waits for `/readyz` 200. */
  restart(service: ServiceName): Promise<void>;
  /** SIGTERM to the gateway, then to the rest; SIGKILL to whatever is left after 10 s. Idempotent. */
  stop(): Promise<void>;
}

const READY_TIMEOUT_MS = 60_000;

/**
 * Runs every service as its own `node services/<name>/dist/main.js` process, configured only by
 * environment variables, supervises them (a crashed replica is started again) and resolves once
 * the gateway reports the whole system ready. Used by `npm start`, the black-box tests and the
 * benchmark.
 */
export async function startSystem(opts: StartSystemOptions = {}): Promise<RunningSystem> {
  const settings = systemSettings(opts);
  const replicas = replicaCounts(settings.env, opts.services);
  const metricsBasePort = metricsBase(settings.env, settings.port);
  assertBuilt();
  await preflight(settings);
  const runToken = newRunToken();
  const env = { ...settings.env, [RUN_TOKEN_ENV]: runToken };
  const stdio = opts.stdio ?? 'pipe';
  const envOf = (service: ServiceName, replica: number) => ({
    ...env,
    ...metricsEnv(metricsBasePort, service, replica),
    ...opts.serviceEnv?.[service],
  });
  const spares = settings.spares
    ? new SparePool(replicas, (service) => spawnSpare(REPO_ROOT, service, envOf(service, 0), stdio))
    : undefined;
  const { group, gaveUp, failure } = supervise(replicas, opts, (service, replica) => {
    const replicaEnv = envOf(service, replica);
    return spares?.take(service, replica, replicaEnv) ?? spawnService(REPO_ROOT, service, replica, replicaEnv, stdio);
  });
  const stop = async () => {
    await group.stop();
    await spares?.stop();
  };
  void gaveUp.then(() => spares?.stop());
  const ready = () => waitUntilReady({ url: settings.url, runToken, timeoutMs: opts.readyTimeoutMs ?? READY_TIMEOUT_MS, failure });
  for (const service of START_ORDER) group.launch(service);
  try {
    await ready();
  } catch (err) {
    await stop();
    throw err;
  }
  spares?.warm(START_ORDER);
  return {
    url: settings.url,
    apiUrl: settings.apiUrl,
    instance: settings.instance,
    get processes() {
      return group.all();
    },
    gaveUp,
    restarts: (service) => group.restarts(service),
    async kill(service, signal = 'SIGTERM') {
      const pause = signal === 'SIGSTOP' || signal === 'SIGCONT';
      if (!pause) group.hold(service);
      const targets = group.running(service);
      for (const p of targets) p.child.kill(signal);
      if (!pause) await Promise.all(targets.map((p) => p.exited));
    },
    sparesLoaded: async () => spares?.loaded(),
    async restart(service) {
      await group.terminate(service);
      group.launch(service);
      await ready();
    },
    stop,
  };
}

/** The group of processes, and what becomes of its supervision: `failure()` is the reason it gave up. */
function supervise(
  replicas: Record<ServiceName, number>,
  opts: StartSystemOptions,
  spawnOne: (service: ServiceName, replica: number) => ServiceProcess,
): { group: ProcessGroup; gaveUp: Promise<string>; failure: () => string | undefined } {
  const log = opts.log ?? (() => undefined);
  const policy = opts.restartPolicy ?? DEFAULT_RESTART_POLICY;
  let failure: string | undefined;
  let resolve: (reason: string) => void = () => undefined;
  const gaveUp = new Promise<string>((settle) => {
    resolve = settle;
  });
  const group = new ProcessGroup(replicas, spawnOne, {
    policy,
    restarting: (p, exit, delayMs, crashes) =>
      log(`${p.service} ${describeExit(exit)}; starting it again in ${delayMs} ms (crash ${crashes} within ${policy.windowMs / 1000} s)`),
    gaveUp: (reason) => {
      failure = reason;
      resolve(reason);
    },
  });
  return { group, gaveUp, failure: () => failure };
}

function assertBuilt(): void {
  const missing = START_ORDER.map((service) => serviceEntry(REPO_ROOT, service)).filter((entry) => !existsSync(entry));
  if (missing.length > 0) {
    throw new Error(`not built: ${missing.map((entry) => relative(REPO_ROOT, entry)).join(', ')}; run npm run build`);
  }
}
