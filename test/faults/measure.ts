import type { Verdicts } from './checks.js';
import { type Ledger, unavailable, WRITES } from './ledger.js';

/** One fault as it was injected: what, when, and the moment its target's clock starts from. */
export interface Fault {
  name: string;
  /** When its phase's load began and ended. */
  window: { start: number; end: number };
  /** The target, in words, and the limit it sets: none (0 failed requests) or a number of ms. */
  target: string;
  backWithinMs?: number;
  /** From when "back" is counted: the kill, the server accepting connections again. */
  from: string;
  fromAt: number;
  /** What was measured, where requests are not the point (a stop); and whether that met the target. */
  measured?: string;
  met?: boolean;
  /** Facts of this fault beside the requests' (processes that exited, what was left running). */
  notes: string[];
}

export interface PhaseFigures {
  fault: Fault;
  requests: number;
  /** Requests answered 5xx or not at all, by status or error. */
  failedByStatus: Record<string, number>;
  failed: number;
  /** Ms from `fault.fromAt` until every request started afterwards was answered; 0 when none failed after it. */
  backMs: number;
  /** Whether the target was met. */
  met: boolean;
  /** When the failed requests were sent, in ms from `fault.fromAt`: the first and the last. */
  failedFromMs: number;
  failedUntilMs: number;
  writesAcknowledged: number;
  writesFound: number;
  /** Writes whose every try went unanswered or 503, by how they turned out. */
  writesFailed: Record<string, number>;
}

/** When full service came back: the first answered request started after the last one that failed. */
function backAt(ledger: Ledger, phase: string): number | undefined {
  const attempts = ledger.inPhase(ledger.attempts, phase);
  const failures = attempts.filter(unavailable);
  if (failures.length === 0) return undefined;
  const lastFailedStart = Math.max(...failures.map((a) => a.start));
  const after = attempts.filter((a) => !unavailable(a) && a.start > lastFailedStart).map((a) => a.start);
  return after.length > 0 ? Math.min(...after) : Number.POSITIVE_INFINITY;
}

export function figures(ledger: Ledger, fault: Fault, verdicts: Verdicts): PhaseFigures {
  const phase = fault.name;
  const attempts = ledger.inPhase(ledger.attempts, phase);
  const failedByStatus: Record<string, number> = {};
  for (const a of attempts.filter(unavailable)) failedByStatus[String(a.status)] = (failedByStatus[String(a.status)] ?? 0) + 1;
  const failed = Object.values(failedByStatus).reduce((sum, n) => sum + n, 0);
  const failedStarts = attempts.filter(unavailable).map((a) => a.start - fault.fromAt);
  const back = backAt(ledger, phase);
  const backMs = back === undefined ? 0 : Math.max(0, back - fault.fromAt);
  const writes = ledger.inPhase(ledger.operations, phase).filter((o) => WRITES.includes(o.op));
  const acknowledged = writes.filter((o) => o.outcome === 'ok');
  const found = acknowledged.filter((o) => {
    const account = o.op === 'register' && o.account ? verdicts.accountFound.get(o.account) : true;
    const session = o.session ? (verdicts.sessionFound.get(o.session) ?? true) : true;
    return account !== false && session;
  });
  const writesFailed: Record<string, number> = {};
  for (const o of writes.filter((w) => w.outcome === 'failed')) {
    const how = verdicts.settled.get(o) ?? 'unsettled';
    writesFailed[how] = (writesFailed[how] ?? 0) + 1;
  }
  const met = fault.met ?? (fault.backWithinMs === undefined ? failed === 0 : backMs <= fault.backWithinMs);
  return {
    fault,
    requests: attempts.length,
    failedByStatus,
    failed,
    backMs,
    met,
    failedFromMs: failedStarts.length > 0 ? Math.min(...failedStarts) : 0,
    failedUntilMs: failedStarts.length > 0 ? Math.max(...failedStarts) : 0,
    writesAcknowledged: acknowledged.length,
    writesFound: found.length,
    writesFailed,
  };
}

/** The phase whose load ran at `at`, for naming where something happened. */
export function phaseAt(faults: readonly Fault[], at: number): string {
  return faults.find((f) => f.window.start <= at && at <= f.window.end)?.name ?? 'between phases';
}

/**
 * The failed writes that had happened all the same and that their retry did not return: what each
 * try was answered, and when, from the operation's start.
 */
export function notReplayed(ledger: Ledger, verdicts: Verdicts): string[] {
  return [...verdicts.settled]
    .filter(([, how]) => how === 'found')
    .map(([o]) => {
      const tries = ledger
        .triesOf(o)
        .map((a) => `${a.status}${a.code ? ` ${a.code}` : ''} at +${((a.start - o.start) / 1000).toFixed(1)} s`);
      return `${o.op} (${o.phase}) happened, answered failed and was not returned by its retry with the same key: tries ${tries.join(', ')}`;
    });
}
