/**
 * `npm start`: finds or starts NATS and PostgreSQL, runs the five services, prints the URL, and
 * on Ctrl-C or SIGTERM stops the services, then what it started, and exits 0.
 */
import { type Backends, resolveBackends } from './backends.js';
import { describeExit } from './child.js';
import { type RunningSystem, startSystem } from './system.js';

const parts: { backends?: Backends; system?: RunningSystem } = {};

const startUp = (async () => {
  parts.backends = await resolveBackends();
  for (const started of parts.backends.started) console.log(`Started ${started}`);
  parts.system = await startSystem({ natsUrl: parts.backends.natsUrl, databaseUrl: parts.backends.databaseUrl, stdio: 'inherit' });
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
process.on('SIGINT', () => shutDown(0));
process.on('SIGTERM', () => shutDown(0));

try {
  const system = await startUp;
  console.log(`HeadlessKey is running at ${system.apiUrl}`);
  const first = await Promise.race(system.processes.map(async (p) => ({ service: p.service, exit: await p.exited })));
  if (!stopping) {
    console.error(`${first.service} ${describeExit(first.exit)}; stopping HeadlessKey`);
    shutDown(1);
  }
} catch (err) {
  // Configuration errors, a missing nats-server and early service exits all say what to do in one line.
  console.error(err instanceof Error ? err.message : String(err));
  shutDown(1);
}
