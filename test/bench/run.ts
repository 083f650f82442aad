/**
 * `npm run bench`: starts the whole system on a fresh instance, measures it and its baselines
 * on this machine, prints the table and writes BENCHMARKS.md. Exits 0 when every run answered
 * 2xx, whatever the targets say; 1 when the run itself failed. Always stops what it started.
 */
import { appendFileSync } from 'node:fs';
import os from 'node:os';
import { fileURLToPath } from 'node:url';
import { runBaselines } from './baselines.js';
import { stopAllChildren } from './children.js';
import { latencySection, watchLoginEvents } from './event-latency.js';
import { abortLoad } from './load.js';
import { watchServiceLogs } from './logs.js';
import { buildReport, consoleTable, SAMPLING, writeReport } from './report.js';
import { runStackScenarios, stackToken } from './scenarios.js';
import { readBenchSettings } from './settings.js';
import { startBenchStack } from './stack.js';

const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url));
const REPORT = `${REPO_ROOT}BENCHMARKS.md`;

let stopStack: (() => Promise<void>) | undefined;
let cleaning: Promise<void> | undefined;
let interrupted = false;
const cleanUp = () => {
  cleaning ??= (async () => {
    abortLoad();
    await stopAllChildren();
    await stopStack?.();
  })();
  return cleaning;
};

// Further signals while cleaning up are absorbed: the default action would leave services behind.
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    if (cleaning) return;
    interrupted = true;
    console.error(`\n${signal}: stopping what the benchmark started`);
    void cleanUp().finally(() => process.exit(130));
  });
}

async function main(): Promise<number> {
  const settings = readBenchSettings();
  const date = new Date();
  const loadBefore = os.loadavg();
  console.log(
    `HeadlessKey benchmark: ${settings.seconds} s per run after ${settings.warmupSeconds} s warm-up, bcrypt cost ${settings.bcryptCost}, telemetry at the ${SAMPLING}`,
  );
  const stack = await startBenchStack(settings, (stop) => {
    stopStack = stop;
  });
  console.log(`Stack ${stack.names.instance} ready at ${stack.system.apiUrl}`);
  const serviceLogs = watchServiceLogs(stack.system);
  if (settings.cpuProfileDir) {
    const pids = stack.system.processes.map((p) => `${p.service}=${p.child.pid}`).join(' ');
    console.log(`CPU profiles go to ${settings.cpuProfileDir} when the services exit: ${pids}`);
  }
  const token = await stackToken(stack.system);
  console.log('Baselines (each in its own process):');
  const baselines = await runBaselines(settings, token);
  console.log('Through the stack:');
  const loginEvents = await watchLoginEvents(stack.system, stack.names, settings.databaseUrl);
  const results = await runStackScenarios(stack.system, settings, token);
  const latencies = await loginEvents.measure();
  const exited = stack.system.processes.filter((p) => p.exit).map((p) => `${p.service} exited`);
  const info = { date, loadBefore, loadAfter: os.loadavg(), repoRoot: REPO_ROOT, serviceLogs: serviceLogs(), exited };
  const report = buildReport(settings, info, baselines, results);
  console.log(`\n${consoleTable(report)}`);
  writeReport(REPORT, report);
  const section = latencySection(latencies);
  appendFileSync(REPORT, section);
  console.log(`${section}\nWrote ${REPORT}`);
  return report.failedRuns.length > 0 ? 1 : 0;
}

let exitCode = 1;
try {
  exitCode = await main();
} catch (err) {
  // Our own errors say what to do in their message; a bug in the benchmark shows where it is.
  // After a signal, whatever fails fails because of it: nothing to add.
  const bug = err instanceof TypeError || err instanceof ReferenceError || err instanceof RangeError;
  if (!interrupted) console.error(`\nThe benchmark failed: ${err instanceof Error ? (bug ? err.stack : err.message) : String(err)}`);
} finally {
  await cleanUp();
}
process.exit(exitCode);
