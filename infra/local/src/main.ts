/**
 * `npm start`: finds or starts NATS and PostgreSQL, runs and supervises the services (a crashed
 * one is started again; a crash loop stops everything and exits 1), prints the URL, and on
 * SIGINT, SIGTERM or SIGHUP stops the services, then what it started, and exits 0.
 */
import { startTelemetry } from '@headlesskey/platform';
import { type Backends, resolveBackends } from './backends.js';
import { describeMetricsPorts } from './metrics-ports.js';
import { observeRestarts } from './supervisor-metrics.js';
import { type RunningSystem, startSystem } from './system.js';

const parts: { backends?: Backends; system?: RunningSystem } = {};

const startUp = (async () => {
  // The supervisor's own metrics (restarts) on HEADLESSKEY_METRICS_PORT; the services' above it.
  await startTelemetry('supervisor').ready;
  observeRestarts((service) => parts.system?.restarts(service) ?? 0);
  parts.backends = await resolveBackends();
  for (const started of parts.backends.started) console.log(`Started ${started}`);
  parts.system = await startSystem({
    natsUrl: parts.backends.natsUrl,
    databaseUrl: parts.backends.databaseUrl,
    stdio: 'inherit',
    log: (line) => console.error(line),
  });
  return parts.system;
})();

let stopping: Promise<void> | undefined;
function shutDown(exitCode: number): void {
  stopping ??= (async () => {
    // A start-up in progress ends first, so nothing it starts is left behind.
    await startUp.catch(() => undefined);
    await parts.system?.stop();
    await parts.backends?.stop();
    process.exit(exitCode);
  })();
}
// Further signals while stopping are absorbed: the default action would orphan the services.
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) process.on(signal, () => shutDown(0));

try {
  const system = await startUp;
  console.log(`HeadlessKey is running at ${system.apiUrl}`);
  const metricsPorts = describeMetricsPorts(process.env, system.processes);
  if (metricsPorts) console.log(metricsPorts);
  const reason = await system.gaveUp;
  if (!stopping) {
    console.error(reason);
    shutDown(1);
  }
} catch (err) {
  // Configuration errors, a taken port, an unreachable backend, a missing nats-server and a
  // service that cannot start all say what is wrong in one line.
  console.error(err instanceof Error ? err.message : String(err));
  shutDown(1);
}
