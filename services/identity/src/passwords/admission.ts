import { DomainError } from '@headlesskey/platform';

/** What a refused check answers: the caller may try again once the burst has passed. */
export const overloaded = () => new DomainError('headlesskey_unavailable', 'Too many password checks at once. Try again shortly.');

/**
 * Admission control for bcrypt, the one expensive thing identity does. At most `slots` run at
 * once (libuv's threadpool runs them; more would only queue there, out of sight). The others wait
 * in arrival order, and one whose caller will have stopped waiting before it could finish is
 * refused at once — when it arrives, or when its turn comes — instead of being run for no one.
 * Without this, a burst beyond capacity makes every request wait past its deadline while bcrypt
 * keeps working for callers that are gone: throughput collapses to nothing.
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
    if (!this.canFinish(deadline, this.expectedWaitMs())) throw overloaded();
    if (this.running >= this.slots) {
      await new Promise<void>((start, refuse) => this.waiting.push({ deadline, start, refuse: () => refuse(overloaded()) }));
    } else {
      this.running += 1;
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
      if (this.canFinish(waiter.deadline, 0)) return waiter.start();
      waiter.refuse();
    }
    this.running -= 1;
  }

  private canFinish(deadline: number | undefined, waitMs: number): boolean {
    if (deadline === undefined || this.averageMs === undefined) return true;
    return this.now() + waitMs + this.averageMs <= deadline;
  }

  /** Those ahead, spread over the slots, each taking about the average. */
  private expectedWaitMs(): number {
    if (this.running < this.slots) return 0;
    return Math.ceil((this.waiting.length + 1) / this.slots) * (this.averageMs ?? 0);
  }

  private learn(ms: number): void {
    this.averageMs = this.averageMs === undefined ? ms : this.averageMs * 0.8 + ms * 0.2;
  }
}
