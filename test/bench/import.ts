/**
 * `npm run bench:import`: fills a WordPress database on the machine's MariaDB with
 * `BENCH_IMPORT_USERS` users (default 100,000; hashes made once by PHP and reused: hashing is not
 * what is measured), runs `npm run admin -- import wordpress` against a fresh stack, and prints
 * users/s and the resident memory of the CLI and of identity over the run (flat is the aim).
 * Target: 100,000 users in 2 minutes or less. Writes nothing; drops what it created.
 */
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import os from 'node:os';
import { fileURLToPath } from 'node:url';
import { capabilitiesOf, createWordPressDb, type WordPressDb, type WordPressRow } from '../support/wordpress/database.js';
import { phpHashes } from '../support/wordpress/hashes.js';
import { readBenchSettings } from './settings.js';
import { type BenchStack, startBenchStack } from './stack.js';

const ADMIN_CLI = fileURLToPath(new URL('../../tools/admin/dist/main.js', import.meta.url));
const TARGET_SECONDS = 120;
const FIRST_ID = 1001;
const count = Number(process.env.BENCH_IMPORT_USERS?.trim() || 100_000);
if (!Number.isInteger(count) || count < 1 || count > 1_000_000) {
  console.error(`BENCH_IMPORT_USERS: expected a whole number 1–1,000,000, got "${process.env.BENCH_IMPORT_USERS}"`);
  process.exit(1);
}

/** Resident memory of a process now, in MiB (Linux), or undefined once it is gone. */
function rssMiB(pid: number | undefined): number | undefined {
  try {
    const kb = /VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1];
    return kb ? Number(kb) / 1024 : undefined;
  } catch {
    return undefined;
  }
}

/** RSS samples every 250 ms: the first, the peak, and at each quarter of the run. */
function watchMemory(pid: number | undefined) {
  const samples: number[] = [];
  const timer = setInterval(() => {
    const rss = rssMiB(pid);
    if (rss !== undefined) samples.push(rss);
  }, 250);
  return () => {
    clearInterval(timer);
    const at = (q: number) => samples[Math.min(samples.length - 1, Math.floor(q * samples.length))]?.toFixed(0) ?? '?';
    const peak = samples.length ? Math.max(...samples).toFixed(0) : '?';
    return `peak ${peak} MiB (at 0/25/50/75/100 %: ${[0, 0.25, 0.5, 0.75, 1].map(at).join(' / ')} MiB)`;
  };
}

async function fill(wp: WordPressDb): Promise<void> {
  const [phpass, wp68, bcrypt] = await phpHashes([
    { password: 'correct horse battery staple', scheme: 'phpass' },
    { password: 'correct horse battery staple', scheme: 'wp-bcrypt' },
    { password: 'correct horse battery staple', scheme: 'bcrypt-2y' },
  ]);
  const hashes = [phpass, phpass, wp68, bcrypt] as string[];
  const member = capabilitiesOf(['subscriber']);
  const CHUNK = 10_000;
  for (let start = 0; start < count; start += CHUNK) {
    const rows: WordPressRow[] = [];
    for (let i = start; i < Math.min(count, start + CHUNK); i++) {
      const id = FIRST_ID + i;
      rows.push({
        id,
        login: `member_${id}`,
        email: `member_${id}@example.com`,
        displayName: `Member ${id}`,
        pass: hashes[i % hashes.length] as string,
        registered: '2019-01-02 03:04:05',
        capabilities: i % 500 === 0 ? capabilitiesOf(['administrator']) : i % 50 === 0 ? capabilitiesOf(['editor']) : member,
      });
    }
    await wp.insert(rows);
  }
}

function runImport(stack: BenchStack, wp: WordPressDb, settings: ReturnType<typeof readBenchSettings>) {
  const child = spawn(process.execPath, [ADMIN_CLI, 'import', 'wordpress', '--from', wp.url], {
    env: { ...process.env, DATABASE_URL: settings.databaseUrl, NATS_URL: settings.natsUrl, HEADLESSKEY_INSTANCE: stack.names.instance },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let stdout = '';
  child.stdout.on('data', (chunk) => {
    stdout += String(chunk);
  });
  const done = new Promise<{ code: number | null; stdout: string }>((resolve) => child.once('exit', (code) => resolve({ code, stdout })));
  return { pid: child.pid, done };
}

let stop: (() => Promise<void>) | undefined;
let wp: WordPressDb | undefined;
let code = 1;
try {
  const settings = readBenchSettings();
  const load = () =>
    os
      .loadavg()
      .map((l) => l.toFixed(2))
      .join(' / ');
  console.log(`Import benchmark: ${count.toLocaleString('en')} WordPress users, load ${load()}`);
  const stack = await startBenchStack(settings, (s) => {
    stop = s;
  });
  wp = await createWordPressDb();
  const filling = performance.now();
  await fill(wp);
  console.log(`MariaDB ${wp.name} filled in ${((performance.now() - filling) / 1000).toFixed(1)} s`);
  const identity = stack.system.processes.find((p) => p.service === 'identity')?.child.pid;
  console.log(`identity before the import: ${rssMiB(identity)?.toFixed(0)} MiB`);
  const identityMemory = watchMemory(identity);
  const started = performance.now();
  const cli = runImport(stack, wp, settings);
  const cliMemory = watchMemory(cli.pid);
  const { code: exit, stdout } = await cli.done;
  const seconds = (performance.now() - started) / 1000;
  const [cliRss, identityRss] = [cliMemory(), identityMemory()];
  console.log(stdout.trimEnd());
  if (exit !== 0) throw new Error(`the import exited ${exit}`);
  const imported = Number(/^ {2}imported +(\d+)$/m.exec(stdout)?.[1] ?? 0);
  if (imported !== count) throw new Error(`${imported} of ${count} users were imported`);
  console.log(
    `\n${count.toLocaleString('en')} users in ${seconds.toFixed(1)} s: ${(count / seconds).toFixed(0)} users/s (target: ${TARGET_SECONDS} s or less for 100,000)`,
  );
  console.log(`CLI      ${cliRss}`);
  console.log(`identity ${identityRss}`);
  console.log(`load at the end ${load()}`);
  code = 0;
} catch (err) {
  console.error(`The benchmark failed: ${err instanceof Error ? err.stack : String(err)}`);
} finally {
  await wp?.drop();
  await stop?.();
}
process.exit(code);
