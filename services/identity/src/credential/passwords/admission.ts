import { DomainError } from '@headlesskey/platform';
import { passwordChecksQueued, passwordChecksShed } from './metrics.js';

/** What a refused check answers: the caller may try again once the burst has passed. Every refusal is made here, and counted. */
export const overloaded = () => {
  passwordChecksShed.record(1);
  return new DomainError('headlesskey_unavailable', 'Too many password checks at once. Try again shortly.', { reason: 'overloaded' });
};

/**
 * Admission control for bcrypt, the one expensive thing identity does. At most `slots` run at
 * once (libuv's threadpool runs them; more would only queue there, out of sight). The others wait
 * in arrival order, and one whose caller will have stopped waiting before it could finish is
 * refused when its turn comes instead of being run for no one. Without this, a burst beyond
 * capacity makes every request wait past its deadline while bcrypt keeps working for callers that
 * are gone: throughput collapses to nothing. Nothing is refused on arrival: an answer within the
 * deadline is still possible then, and a client told "busy" at once only asks again at once.
 *
 * The estimate is evidence that ages: its weight halves every `ESTIMATE_HALF_LIFE_MS` without a new
 * measurement. Refused work is never timed, so an average left high by a slow spell (a CPU spike)
 * would otherwise refuse every check for good; as it fades, work is let through again and re-times it.
 *
 * Refusal depends only on load and time, never on the user, so it reveals nothing about accounts.
 */
export const ESTIMATE_HALF_LIFE_MS = 2_000;

export class PasswordWork {
  private running = 0;
  private readonly waiting: { deadline: number | undefined; start: () => void; refuse: () => void }[] = [];
  /** Moving average of one piece of work, in ms, as of `learnedAt`; seeded by the first. */
  private averageMs: number | undefined;
  private learnedAt = 0;

  constructor(
    private readonly slots: number,
    private readonly now: () => number = Date.now,
  ) {}

  /** Runs `work` in a slot, or throws `headlesskey_unavailable` when it could not end in time. */
  async run<T>(deadline: number | undefined, work: () => Promise<T>): Promise<T> {
    if (this.running >= this.slots) {
      await new Promise<void>((start, refuse) => {
        this.waiting.push({ deadline, start, refuse: () => refuse(overloaded()) });
        passwordChecksQueued.record(this.waiting.length);
      });
    } else if (this.canFinish(deadline)) {
      this.running += 1;
    } else {
      throw overloaded();
    }
    const started = this.now();
    try {
      const result = await work();
      // Only work that ran to its end says how long one takes (a locked account stops early).
      this.learn(started);
      return result;
    } finally {
      this.next();
    }
  }

  /** Hands the freed slot to the first waiter that can still finish; refuses those that cannot. */
  private next(): void {
    for (let waiter = this.take(); waiter; waiter = this.take()) {
      if (this.canFinish(waiter.deadline)) {
        waiter.start();
        return;
      }
      waiter.refuse();
    }
    this.running -= 1;
  }

  private take() {
    const waiter = this.waiting.shift();
    if (waiter) passwordChecksQueued.record(this.waiting.length);
    return waiter;
  }

  /**
   * Room for twice the average: the check itself, then what follows it before the answer (the
   * login's events, the session, the hooks) and the spread of both. Work begun closer to the
   * deadline than that ends, too often, after its caller has stopped waiting.
   */
  private canFinish(deadline: number | undefined): boolean {
    const estimate = this.estimate();
    if (deadline === undefined || estimate === undefined) return true;
    return this.now() + 2 * estimate <= deadline;
  }

  /**
   * The average, faded by its age. While checks run, they re-time it every few hundred ms and it
   * barely fades; only one that nothing has re-timed for seconds loses its hold.
   */
  private estimate(at = this.now()): number | undefined {
    if (this.averageMs === undefined) return undefined;
    const age = Math.max(0, at - this.learnedAt);
    return this.averageMs * 0.5 ** (age / ESTIMATE_HALF_LIFE_MS);
  }

  /** Blends in work that began at `started`, against the estimate it was admitted on (not faded by its own run). */
  private learn(started: number): void {
    const now = this.now();
    const previous = this.estimate(started);
    this.averageMs = previous === undefined ? now - started : previous * 0.8 + (now - started) * 0.2;
    this.learnedAt = now;
  }
}
