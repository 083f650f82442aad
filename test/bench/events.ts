/**
 * `npm run bench:events`: only the two event latencies of `npm run bench` (event → activity-log
 * entry, event → webhook receiver), under logins at `BENCH_EVENT_CONNECTIONS` (default 50) for
 * `BENCH_SECONDS`: a quicker look than the whole benchmark, which also loads validate and refresh.
 * Prints the figures beside their targets; writes nothing.
 */
import os from 'node:os';
import { latencyTargets, watchLoginEvents } from './event-latency.js';
import { registerUsers } from './fixtures.js';
import { abortLoad, jsonPost, measure } from './load.js';
import { credentialsOf, fromClient } from './scenarios.js';
import { readBenchSettings } from './settings.js';
import { startBenchStack } from './stack.js';

const settings = readBenchSettings();
const load = () =>
  os
    .loadavg()
    .map((l) => l.toFixed(2))
    .join(' / ');
const connections = Number(process.env.BENCH_EVENT_CONNECTIONS?.trim() || 50);
if (!Number.isInteger(connections) || connections < 1 || connections > 500) {
  console.error(`BENCH_EVENT_CONNECTIONS: expected a whole number 1–500, got "${process.env.BENCH_EVENT_CONNECTIONS}"`);
  process.exit(1);
}
let stop: (() => Promise<void>) | undefined;
let code = 1;
try {
  console.log(
    `Event latencies: logins at ${connections} connections for ${settings.seconds} s, bcrypt cost ${settings.bcryptCost}, load ${load()}`,
  );
  const stack = await startBenchStack(settings, (s) => {
    stop = s;
  });
  const base = new URL(stack.system.apiUrl).pathname;
  const users = await registerUsers(stack.system.apiUrl, 'benchlogin', connections);
  const events = await watchLoginEvents(stack.system, stack.names, settings.databaseUrl);
  await measure(
    {
      label: 'token',
      origin: stack.system.url,
      connections,
      requests: () => (i) => [fromClient(i, jsonPost(`${base}/token`, credentialsOf(users, i)))],
    },
    settings.seconds,
    settings.warmupSeconds,
  );
  for (const line of latencyTargets(await events.measure())) console.log(line);
  console.log(`load at the end ${load()}`);
  code = 0;
} catch (err) {
  console.error(`The benchmark failed: ${err instanceof Error ? err.stack : String(err)}`);
} finally {
  abortLoad();
  await stop?.();
}
process.exit(code);
