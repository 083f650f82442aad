export interface BatchOptions {
  /** The most items in one batch. */
  max: number;
  /** How long a batch waits after its first item for more to join it; 0 takes only what has arrived. */
  lingerMs: number;
}

/**
 * Groups pushed items into batches: what has already arrived, then for `lingerMs` what arrives
 * meanwhile, at most `max`. A batch knows what has arrived from its own queue, so it never waits
 * on an item that has not come once its linger is over. The queue is bounded by whoever pushes
 * (the consumer's `max_ack_pending`): pushing never blocks.
 */
export class Batcher<T> {
  readonly #queue: T[] = [];
  readonly #opts: BatchOptions;
  #ended = false;
  #failure: { err: unknown } | undefined;
  #arrived: (() => void) | undefined;

  constructor(opts: BatchOptions) {
    this.#opts = opts;
  }

  push(item: T): void {
    this.#queue.push(item);
    this.#arrived?.();
  }

  /** No more items: the batches end once the queue is handed over; with `err`, they then throw it. */
  end(err?: unknown): void {
    if (err !== undefined) this.#failure = { err };
    this.#ended = true;
    this.#arrived?.();
  }

  async *batches(): AsyncGenerator<T[]> {
    const { max, lingerMs } = this.#opts;
    for (;;) {
      while (this.#queue.length === 0 && !this.#ended) await this.#arrival();
      if (this.#queue.length === 0) break;
      // One turn of the event loop: what the socket already holds joins too.
      await new Promise((resolve) => setImmediate(resolve));
      const until = Date.now() + lingerMs;
      for (let left = lingerMs; this.#queue.length < max && !this.#ended && left > 0; left = until - Date.now()) {
        await this.#arrival(left);
      }
      yield this.#queue.splice(0, max);
    }
    if (this.#failure) throw this.#failure.err;
  }

  /** Resolves at the next push or end, or after `ms`. */
  #arrival(ms?: number): Promise<void> {
    return new Promise<void>((resolve) => {
      let timer: NodeJS.Timeout | undefined;
      const done = () => {
        clearTimeout(timer);
        this.#arrived = undefined;
        resolve();
      };
      if (ms !== undefined) timer = setTimeout(done, ms);
      this.#arrived = done;
    });
  }
}
