import { DomainError } from '@headlesskey/platform';

/** What a refused check answers: the caller may try again once the burst has passed. */
export const overloaded = () =>
  new DomainError('headlesskey_unavailable', 'Too many password checks at once. Try again shortly.', { reason: 'overloaded' });

/**
 * Admission control for bcrypt, the one expensive thing identity does. At most `slots` run at
 * once (libuv's threadpool runs them; more would only queue there, out of sight). The others wait
 * in arrival order, and one whose caller will have stopped waiting before it could finish is
 * refused when its turn comes instead of being run for no one. Without this, a burst beyond
 * capacity makes every request wait past its deadline while bcrypt keeps working for callers that
 * are gone: throughput collapses to nothing. Nothing is refused on arrival: an answer within the
 * deadline is still possible then, and a client told "busy" at once only asks again at once.
 *
 * Refusal depends only on load and time, never on the user, so it reveals nothing about accounts.
 */
export class PasswordWork {
  private running = 0;
  private readonly waiting: { deadline: number | undefined; start: () => void; refuse: () => void }[] = [];
  /** Moving average of one piece of work, in ms; seeded by the first. */
  private averageMs: number | undefined;

  constructor(
    private readonly slots: number,
    private readonly now: () => number = Date.now,
  ) {}

  /** Runs `work` in a slot, or throws `headlesskey_unavailable` when it could not end in time. */
  async run<T>(deadline: number | undefined, work: () => Promise<T>): Promise<T> {
    if (this.running >= this.slots) {
      await new Promise<void>((start, refuse) => this.waiting.push({ deadline, start, refuse: () => refuse(overloaded()) }));
    } else if (this.canFinish(deadline)) {
      this.running += 1;
    } else {
      throw overloaded();
    }
    const started = this.now();
    try {
      const result = await work();
      // Only work that ran to its end says how long one takes (a locked account stops early).
      this.learn(this.now() - started);
      return result;
    } finally {
      this.next();
    }
  }

  /** Hands the freed slot to the first waiter that can still finish; refuses those that cannot. */
  private next(): void {
    for (let waiter = this.waiting.shift(); waiter; waiter = this.waiting.shift()) {
      if (this.canFinish(waiter.deadline)) {
        waiter.start();
        return;
      }
      waiter.refuse();
    }
    this.running -= 1;
  }

  /**
   * Room for twice the average: the check itself, then what follows it before the answer (the
   * login's events, the session, the hooks) and the spread of both. Work begun closer to the
   * deadline than that ends, too often, after its caller has stopped waiting.
   */
  private canFinish(deadline: number | undefined): boolean {
    if (deadline === undefined || this.averageMs === undefined) return true;
    return this.now() + 2 * this.averageMs <= deadline;
  }

  private learn(ms: number): void {
    this.averageMs = this.averageMs === undefined ? ms : this.averageMs * 0.8 + ms * 0.2;
  }
}
