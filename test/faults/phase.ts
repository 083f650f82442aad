import type { RunningSystem } from '@headlesskey/local';
import { eventually } from '../support/users.js';
import { type Ledger, unavailable } from './ledger.js';
import type { mixedLoad } from './load.js';
import type { Fault } from './measure.js';

/** The load before a fault, and the answered requests after the last failure that count as "back". */
const STEADY_OPERATIONS = 40;
const BACK_REQUESTS = 60;
/** However a fault goes, its phase ends after this. */
const PHASE_LIMIT_MS = 30_000;

export type Injected = Omit<Fault, 'name' | 'window'>;

/**
 * One fault under load: the load runs until it is steady, `inject` breaks something and says from
 * when recovery counts, the load runs on until enough requests in a row were answered after the
 * last failure (or the phase's limit), then every client finishes its operation.
 */
export async function underLoad(
  load: ReturnType<typeof mixedLoad>,
  ledger: Ledger,
  name: string,
  inject: () => Promise<Injected>,
  /** False for a fault the system is not meant to come back from (a stop). */
  comesBack = true,
): Promise<Fault> {
  const running = load.run(name);
  const window = { start: Date.now(), end: 0 };
  try {
    const operations = () => ledger.operations.filter((o) => o.phase === name).length;
    await eventually(async () => (operations() >= STEADY_OPERATIONS ? true : undefined), PHASE_LIMIT_MS, `load before ${name}`);
    const injected = await inject();
    if (!comesBack) return { name, window, ...injected };
    await eventually(async () => (isBack(ledger, name, injected.fromAt) ? true : undefined), PHASE_LIMIT_MS, `service after ${name}`).catch(
      () => undefined,
    );
    return { name, window, ...injected };
  } finally {
    await running.stop();
    window.end = Date.now();
  }
}

function isBack(ledger: Ledger, phase: string, fromAt: number): boolean {
  const attempts = ledger.attempts.filter((a) => a.phase === phase && a.start >= fromAt);
  const lastFailure = Math.max(fromAt, ...attempts.filter(unavailable).map((a) => a.start));
  return attempts.filter((a) => a.start > lastFailure && !unavailable(a)).length >= BACK_REQUESTS;
}

/**
 * What became of the processes that ran or started while `during` ran: each one that exited, in
 * one line with what it logged last (a JSON log line by its message and error) and whether it had
 * only started in the meantime.
 */
export async function exitsDuring(system: RunningSystem, during: () => Promise<void>): Promise<string[]> {
  const exitedBefore = new Set(system.processes.filter((p) => p.exit !== undefined));
  const runningBefore = new Set(system.processes.filter((p) => p.exit === undefined));
  await during();
  return system.processes
    .filter((p) => p.exit !== undefined && !exitedBefore.has(p))
    .map((p) => {
      const how = p.exit?.signal ? `killed by ${p.exit.signal}` : `exited with code ${p.exit?.code}`;
      const fresh = runningBefore.has(p) ? '' : ' (started during this fault)';
      return `${p.service} (pid ${p.child.pid})${fresh} ${how}: ${lastWords(p.output())}`;
    });
}

function lastWords(output: string): string {
  const last = output.trim().split('\n').at(-1) ?? '';
  try {
    const line = JSON.parse(last) as { msg?: string; err?: { type?: string; message?: string } };
    return [line.msg, line.err && `${line.err.type}: ${line.err.message}`].filter(Boolean).join(' — ');
  } catch {
    return last.slice(0, 300);
  }
}
