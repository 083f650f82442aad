import { writeFileSync } from 'node:fs';
import os from 'node:os';
import { commit } from '../support/commit.js';
import type { EventVerdict } from './events.js';
import type { PhaseFigures } from './measure.js';

/** One system the faults were injected into, and what its checks found. */
export interface ScenarioReport {
  name: string;
  setup: string;
  phases: PhaseFigures[];
  requests: number;
  events?: EventVerdict;
  /** What the load met that is not a broken promise but worth knowing. */
  findings: string[];
  /** The broken promises: any one fails the run. */
  problems: string[];
}

export interface RunInfo {
  date: Date;
  seconds: number;
  loadBefore: number[];
  loadAfter: number[];
  repoRoot: string;
  clients: number;
}

const mdRow = (cells: (string | number)[]) => `| ${cells.join(' | ')} |`;
const secs = (ms: number) => (Number.isFinite(ms) ? `${(ms / 1000).toFixed(2)} s` : 'not back');
const offset = (ms: number) => `${ms < 0 ? '−' : '+'}${(Math.abs(ms) / 1000).toFixed(2)} s`;
const tally = (counts: Record<string, number>) =>
  Object.entries(counts)
    .sort(([, a], [, b]) => b - a)
    .map(([k, n]) => `${k} ×${n}`)
    .join(', ') || '—';

function phaseRows(phases: PhaseFigures[]): string {
  const header = [
    'fault',
    'target',
    'measured',
    '',
    'requests',
    'failed (by status)',
    'writes acked / found',
    'writes failed (how they ended)',
  ];
  const rows = phases.map((p) => [
    p.fault.name,
    p.fault.target,
    p.fault.measured ??
      (p.failed === 0
        ? 'no request failed'
        : `${p.failed} failed, sent from ${offset(p.failedFromMs)} to ${offset(p.failedUntilMs)}; back ${secs(p.backMs)} after ${p.fault.from}`),
    p.met ? 'MET' : 'MISSED',
    p.requests,
    tally(p.failedByStatus),
    `${p.writesAcknowledged} / ${p.writesFound}`,
    tally(p.writesFailed),
  ]);
  return [mdRow(header), mdRow(header.map((_, i) => ([4].includes(i) ? '---:' : '---'))), ...rows.map(mdRow)].join('\n');
}

function notes(phases: PhaseFigures[]): string {
  const lines = phases.flatMap((p) => p.fault.notes.map((n) => `- ${p.fault.name}: ${n}`));
  return lines.length > 0 ? `\n${lines.join('\n')}\n` : '';
}

function checks(s: ScenarioReport): string {
  const e = s.events;
  const lines = e
    ? [
        `- Events: ${e.counts.stored} in the services' event stores, ${e.counts.streamed} on the stream, ${e.counts.logged} in the activity log.`,
        `- Webhooks: ${e.delivered} webhook ids accepted by the receiver; ${e.duplicates.length} more than once (${e.inFlightAtKill} of them in flight when the webhooks process was killed: sent again under the same \`webhook-id\`, the same bytes); ${e.undelivered.length} events recorded after the endpoint was made never delivered.`,
      ]
    : [];
  const verdict =
    s.problems.length === 0
      ? [
          '- **PASS**: no lost write, no phantom write, counts equal, every webhook delivered once per `webhook-id` (repeats only of deliveries in flight at a kill), no revoked or rotated token validates.',
        ]
      : [`- **FAIL** (${s.problems.length}):`, ...s.problems.slice(0, 20).map((p) => `  - ${p}`)];
  const found =
    s.findings.length > 0
      ? [
          `- Writes that happened though answered failed, and that no retry returned (${s.findings.length}):`,
          ...s.findings.slice(0, 10).map((f) => `  - ${f}`),
        ]
      : [];
  return [...lines, ...found, ...verdict].join('\n');
}

function scenario(s: ScenarioReport): string {
  return `## ${s.name}

${s.setup}

${phaseRows(s.phases)}
${notes(s.phases)}
Checks after the faults (${s.requests} requests in all):

${checks(s)}
`;
}

export function writeResilience(path: string, info: RunInfo, scenarios: ScenarioReport[]): void {
  const cpus = os.cpus();
  const loads = (values: number[]) => values.map((v) => v.toFixed(2)).join(' / ');
  writeFileSync(
    path,
    `# Resilience

Written by \`npm run test:faults\` (\`test/faults/\`). The system runs as \`npm start\` runs it, under a
mixed load of ${info.clients} clients, while each fault below is injected in turn. Times are targets beside
what was measured: reported, not asserted (a shared, busy machine makes them noisy). The correctness
checks are asserted: a lost write, a phantom write, unequal event counts, a webhook never delivered or
repeated (but for one in flight when its dispatcher was killed), or a revoked token that validates
fails the run.

- Date: ${info.date.toISOString()}; ${info.seconds} s in all
- Commit: ${commit(info.repoRoot, 'RESILIENCE.md')}
- Machine: ${os.availableParallelism()} cores (${cpus[0]?.model.trim() ?? 'unknown CPU'}), ${Math.round(os.totalmem() / 2 ** 30)} GiB; Node ${process.version}; load average ${loads(info.loadBefore)} at start, ${loads(info.loadAfter)} at the end

${scenarios.map(scenario).join('\n')}
## How it is measured

- Load: ${info.clients} clients, each with users and sessions of its own, each pausing 150 ms between operations, in rounds of validate, refresh, validate, login, validate, refresh, validate, logout (revoke), validate, and a registration every other round. Every write carries an \`Idempotency-Key\`; a request answered 503 or not at all is sent again with the same key after 0.1, 0.25, 0.5 and 1 s, then the operation counts as failed. Every request and answer is recorded.
- Before the first phase, the suite waits (up to 45 s) for the machine's 1-minute load average to fall to its core count, so that what ran before it (in CI, the rest of the tests) does not weigh on the times.
- The system keeps a loaded spare per replica, as \`npm start\` does (\`HEADLESSKEY_SPARES\`); the faults begin once the spares have loaded.
- A phase: the load runs a moment, the fault is injected, the load runs until the system is back (bounded), and each client finishes its operation.
- *failed*: requests answered 5xx or not at all (a refused connection, a reset, no answer within 10 s), every try counted. *sent from … to …*: when the first and the last failed request were sent, from the moment named (the kill, the database or NATS accepting connections again). *back*: from that moment until the first answered request sent after the last one that failed. A target "0 failed requests" is met only when no request failed. Audit and webhooks answer no request: they are back when the first event recorded after the kill was taken into the activity log (its \`projected_at\`) or accepted by the webhook receiver (its arrival).
- *writes acked / found*: registrations, logins, refreshes and logouts answered 2xx, and how many of them the checks found afterwards (the user logs in; the session's live token validates, or the client itself rotated or revoked it).
- *writes failed*: writes whose every try failed, settled once the system serves again: *not happened* (the token still validates), *returned by retry* (the retry with the same key answered 2xx; one answered 409 in flight, a claim the gateway could not let go during an outage, is asked again each second for up to 20 s, as a client following the README would), *found* (the server did not replay it, but the write is whole: the user logs in, the token no longer validates and the store holds its \`token.refreshed\`), *unsettled* (a phantom write: the run fails).
- Events: rows of every service's \`events\` table, messages of the instance's JetStream stream, rows of the activity log — waited for (up to 90 s) to agree, ids compared. Webhooks: a receiver subscribed to \`*\` from before the load; every event recorded after that must reach it, once per \`webhook-id\`. The one repeat allowed is Standard Webhooks' at-least-once: a delivery the receiver got while the webhooks process was being killed (within one attempt's timeout before the kill), whose answer the dead process could not record, is sent again after its lease under the same id with the same bytes; any other repeat fails the run.
- Every server is the run's own (PostgreSQL from \`initdb\`, \`nats-server\` single and 3-node cluster, on free loopback ports, under temporary folders) and removed afterwards.
`,
  );
}
