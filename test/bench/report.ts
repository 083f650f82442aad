import { writeFileSync } from 'node:fs';
import os from 'node:os';
import { commit } from '../support/commit.js';
import type { Baselines } from './baselines.js';
import type { Measurement } from './load.js';
import type { LogNote } from './logs.js';
import { PAIRS, type StackResults } from './scenarios.js';
import { type BenchSettings, redact } from './settings.js';

export interface RunInfo {
  date: Date;
  /** `os.loadavg()` when the run began and when it ended: other work makes figures noisy. */
  loadBefore: number[];
  loadAfter: number[];
  repoRoot: string;
  /** What the services logged at warn and above while measured. */
  serviceLogs: LogNote[];
  /** Services that exited before the end: the run failed. */
  exited: string[];
}

interface Row {
  figure: string;
  where: string;
  connections: string;
  rps: number;
  p50: number;
  p99: number;
  ok: number;
  /** Logins identity answered 503 (overloaded) without running: see `Measurement.shed`. */
  shed: number;
  failures: number;
}

interface Ratio {
  name: string;
  value: number;
  unit: string;
  target: string;
  pass: boolean;
  /** Each pair's value, when the figure is their median. */
  pairs?: number[];
}

export interface Report {
  rows: Row[];
  ratios: Ratio[];
  /** Runs that answered anything but 2xx, or failed on the socket: the run itself failed. */
  failedRuns: string[];
  serviceLogs: LogNote[];
  markdown: string;
}

export const SAMPLING = 'services\u2019 default: parent-based, 10 % of new traces (OTEL_TRACES_SAMPLER unset), no exporter';

export function buildReport(settings: BenchSettings, info: RunInfo, baselines: Baselines, stack: StackResults): Report {
  const top = Math.max(...settings.connections);
  const http = (figure: string, where: string, runs: Measurement[], label = (m: Measurement, _i: number) => String(m.connections)): Row[] =>
    runs.map((m, i) => ({
      figure,
      where,
      connections: label(m, i),
      rps: m.rps,
      p50: m.p50,
      p99: m.p99,
      ok: m.ok,
      shed: m.shed,
      failures: m.non2xx - m.shed + m.socketErrors,
    }));
  const pairRuns = (which: 'validate' | 'refresh') => stack.pairs.map((p) => p[which]);
  const inPair = (m: Measurement, i: number) => `${m.connections}, pair ${i + 1}`;
  const validateRuns = [...stack.validate, ...pairRuns('validate')];
  const refreshRuns = [...stack.refresh, ...pairRuns('refresh')];
  const b = baselines.bcrypt;
  const rows: Row[] = [
    ...http('bare Fastify POST', 'baseline process', baselines.bare),
    ...http('jose HS256 verify (Fastify)', 'baseline process', baselines.jose),
    {
      figure: `bcrypt.compare, cost ${settings.bcryptCost}`,
      where: 'baseline process',
      connections: `${b.concurrency} in flight`,
      rps: b.rps,
      p50: b.p50,
      p99: b.p99,
      ok: b.compares - b.failures,
      shed: 0,
      failures: b.failures,
    },
    ...http('POST /token/validate', 'stack', stack.validate),
    ...http('POST /token/validate', 'stack', pairRuns('validate'), inPair),
    ...http('POST /token (login)', 'stack', stack.token),
    ...http('POST /token/refresh', 'stack', stack.refresh),
    ...http('POST /token/refresh', 'stack', pairRuns('refresh'), inPair),
  ];
  const at = (runs: Measurement[]) => runs.find((m) => m.connections === top)!;
  const jose = at(baselines.jose).rps;
  const ofPairs = (value: (pair: StackResults['pairs'][number]) => number) => stack.pairs.map(value);
  const ratios: Ratio[] = [
    median(
      `validate@${top} \u00f7 jose verify@${top}`,
      ofPairs((p) => p.validate.rps / jose),
      '',
      '\u2265 0.40',
      (v) => v >= 0.4,
    ),
    median(
      `validate p99@${top}`,
      ofPairs((p) => p.validate.p99),
      ' ms',
      '\u2264 20 ms',
      (v) => v <= 20,
    ),
    ratio(`token@${top} \u00f7 raw bcrypt`, at(stack.token).rps / b.rps, '', '\u2265 0.85', (v) => v >= 0.85),
    median(
      `refresh@${top} \u00f7 validate@${top}`,
      ofPairs((p) => p.refresh.rps / p.validate.rps),
      '',
      '\u2265 0.30',
      (v) => v >= 0.3,
    ),
  ];
  const failedRuns = [
    ...failures('bare', baselines.bare),
    ...failures('jose', baselines.jose),
    ...failures('validate', validateRuns),
    ...failures('token', stack.token),
    ...failures('refresh', refreshRuns),
    ...(b.failures > 0 ? [`bcrypt: ${b.failures} compares did not match`] : []),
    ...info.exited.map((e) => `${e} before the runs ended`),
  ];
  return { rows, ratios, failedRuns, serviceLogs: info.serviceLogs, markdown: markdown(settings, info, rows, ratios, failedRuns) };
}

function ratio(name: string, value: number, unit: string, target: string, meets: (v: number) => boolean): Ratio {
  return { name, value, unit, target, pass: Number.isFinite(value) && meets(value) };
}

/** The median of the pairs' values (their count, `PAIRS`, is odd), each pair's kept beside it. */
function median(name: string, values: number[], unit: string, target: string, meets: (v: number) => boolean): Ratio {
  const middle = [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
  return { ...ratio(name, middle, unit, target, meets), pairs: values };
}

/** Ratios to three places: 0.849 is a miss of 0.85, and must not read as 0.85. */
const shown = (r: Ratio, value: number) => num(value, r.unit ? 2 : 3);
const pairsNote = (r: Ratio) => (r.pairs ? `median of pairs ${r.pairs.map((v) => shown(r, v)).join(', ')}` : '');

function failures(name: string, runs: Measurement[]): string[] {
  return runs
    .filter((m) => m.non2xx - m.shed + m.socketErrors > 0)
    .map(
      (m) =>
        `${name}@${m.connections}: ${m.non2xx - m.shed} non-2xx, ${m.socketErrors} socket errors/timeouts; first: ${m.firstFailure ?? '-'}`,
    );
}

/** The table for the terminal. */
export function consoleTable(report: Report): string {
  const lines = tableLines(report.rows).map((cells) => cells.join('  '));
  const ratios = report.ratios.map(
    (r) =>
      `${r.pass ? 'PASS' : 'MISS'}  ${r.name} = ${shown(r, r.value)}${r.unit} (target ${r.target}${r.pairs ? `; ${pairsNote(r)}` : ''})`,
  );
  return [...lines, '', ...ratios, ...report.failedRuns.map((f) => `FAILED RUN  ${f}`), ...logLines(report.serviceLogs)].join('\n');
}

export function writeReport(path: string, report: Report): void {
  writeFileSync(path, report.markdown);
}

function logLines(notes: LogNote[]): string[] {
  if (notes.length === 0) return [];
  return ['', 'Service log lines at warn and above while measured (they cost CPU the measured path needs):', ...notes.map(logLine)];
}

const logLine = (n: LogNote) => `- ${n.service} ${n.level} \u00d7${n.count}: ${n.message}`;

function tableLines(rows: Row[]): string[][] {
  const header = ['figure', 'where', 'connections', 'req/s', 'p50 ms', 'p99 ms', '2xx', 'shed', 'failures'];
  const body = rows.map((r) => [
    r.figure,
    r.where,
    r.connections,
    num(r.rps, 0),
    num(r.p50),
    num(r.p99),
    String(r.ok),
    String(r.shed),
    String(r.failures),
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...body.map((cells) => cells[i]!.length)));
  const pad = (cells: string[]) => cells.map((c, i) => (i < 3 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!)));
  return [pad(header), widths.map((w) => '-'.repeat(w)), ...body.map(pad)];
}

function num(value: number, digits = 2): string {
  if (!Number.isFinite(value)) return 'n/a';
  return value.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });
}

function markdown(settings: BenchSettings, info: RunInfo, rows: Row[], ratios: Ratio[], failedRuns: string[]): string {
  const cpus = os.cpus();
  const mdRow = (cells: string[]) => `| ${cells.join(' | ')} |`;
  const [header, , ...body] = tableLines(rows).map((cells) => cells.map((c) => c.trim()));
  const align = header!.map((_, i) => (i < 3 ? '---' : '---:'));
  return `# Benchmarks

Written by \`npm run bench\` (\`test/bench/\`). A report, not a test: a missed target does not fail the run.
Figures from a shared or busy machine are noisy; compare ratios taken in the same run, not absolute numbers across machines.

- Date: ${info.date.toISOString()}
- Commit: ${commit(info.repoRoot)}
- Machine: ${os.availableParallelism()} cores (${cpus[0]?.model.trim() ?? 'unknown CPU'}), ${Math.round(os.totalmem() / 2 ** 30)} GiB, ${os.type()} ${os.release()} ${os.arch()}
- Node ${process.version}; load average ${loads(info.loadBefore)} at start, ${loads(info.loadAfter)} at the end
- Settings: ${settings.seconds} s measured per run, after ${settings.warmupSeconds} s of warm-up in the same run; bcrypt cost ${settings.bcryptCost}; telemetry on at the ${SAMPLING}; \`LOG_LEVEL=warn\`; \`HEADLESSKEY_TRUSTED_PROXIES=127.0.0.1\`; one process per service; libuv threadpool ${Number(process.env.UV_THREADPOOL_SIZE) || 4}
- Backends: PostgreSQL ${redact(settings.databaseUrl)}, NATS ${redact(settings.natsUrl)}

## Results

${[mdRow(header!), mdRow(align), ...body.map(mdRow)].join('\n')}

## Targets

${[mdRow(['ratio', 'value', 'target', '', 'taken as']), mdRow(['---', '---:', '---', '---', '---']), ...ratios.map((r) => mdRow([r.name, `${shown(r, r.value)}${r.unit}`, r.target, r.pass ? 'PASS' : 'MISS', pairsNote(r) || 'one run']))].join('\n')}
${failedRuns.length > 0 ? `\n**Failed runs** (the figures above are not valid):\n\n${failedRuns.map((f) => `- ${f}`).join('\n')}\n` : ''}
## Service logs while measured

${info.serviceLogs.length === 0 ? 'Nothing at warn or above.' : `Lines at warn and above (a service failing in a loop spends CPU the measured path needs):\n\n${info.serviceLogs.map(logLine).join('\n')}`}

## How each figure is taken

- Load: autocannon 9 (programmatic API) in the benchmark process, against 127.0.0.1, one run at a time, keep-alive, no pipelining. Each run loads for the warm-up and the measured seconds without a pause, and only the answers that arrive in its measured window count, so every figure is the steady state's. req/s counts 2xx answers in the window over its length; p50/p99 are over every answer in it, from autocannon's per-response timing (sub-millisecond). A non-2xx answer anywhere in the run is a failure. *shed*: logins identity answered 503 (\`reason: overloaded\`) without running bcrypt, because the check could not have ended before the gateway's command timeout — 50 logins at once wait longer than that for the cores; they count neither as 2xx nor as failures.
- Stack: every service as its own process (\`startSystem\`, instance \`bench<random>\`, a free port below 32768), dropped afterwards.
- \`/token/validate\`: one token from a registration, body \`{token}\`, the same token on every connection.
- \`/token\`: one registered user per connection, each logging in again and again from an address of its own (\`X-Forwarded-For\` from RFC 2544's 198.18.0.0/15, the gateway trusting 127.0.0.1 as its proxy): identity counts logins in flight against the client IP, so 50 concurrent logins from one address are refused with 429 once 20 are in flight.
- Pairs: at ${Math.max(...settings.connections)} connections, validate and refresh run back to back, ${PAIRS} times, after the logins (each pair's refresh on sessions opened before its validate run). A shared machine's speed drifts within minutes, so a ratio between validate and refresh, and validate's own targets, are the median over the pairs, each pair's value beside it; the token target takes its one run.
- \`/token/refresh\`: one session per connection (logins from distinct \`device\` values); each request sends the token the previous refresh returned. Any non-2xx counts as a failure.
- Baselines, each in its own Node process: a Fastify route answering \`{ok:true}\` to the same POST body; a Fastify route verifying the same token re-signed with a secret of ours, with jose exactly as the tokens service checks it (HS256 only, issuer, audience, \`typ\`, required claims, 5 s tolerance, an HMAC CryptoKey imported once); and \`bcrypt.compare\` of the same SHA-384 pre-hash at the same cost, twice the threadpool size in flight through the same warm-up, counting the compares that end in the same measured window.
`;
}

function loads(values: number[]): string {
  return values.map((v) => v.toFixed(2)).join(' / ');
}
