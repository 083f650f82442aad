export interface BatchOptions {
  /** The most items in one batch. */
  max: number;
  /** How long a batch waits after its first item for more to join it; 0 takes only what has arrived. */
  lingerMs: number;
}

/**
 * Groups what `source` yields into batches: what has already arrived, then for `lingerMs` what
 * arrives meanwhile, at most `max`. The source is read ahead into a queue of its own (at most two
 * batches' worth), so a batch knows what has arrived from that queue alone — it never waits on an
 * item that has not come, once its linger is over. The queue ends with the source; an error of
 * the source is thrown after the batches of what it yielded before.
 */
export async function* batchesOf<T>(source: AsyncIterable<T>, { max, lingerMs }: BatchOptions): AsyncGenerator<T[]> {
  const queue: T[] = [];
  let ended = false;
  let stopped = false;
  let failure: { err: unknown } | undefined;
  let arrived: (() => void) | undefined;
  let drained: (() => void) | undefined;

  const arrival = (ms?: number) =>
    new Promise<void>((resolve) => {
      const timer = ms === undefined ? undefined : setTimeout(done, ms);
      function done() {
        clearTimeout(timer);
        arrived = undefined;
        resolve();
      }
      arrived = done;
    });

  void (async () => {
    try {
      for await (const item of source) {
        if (stopped) break;
        queue.push(item);
        arrived?.();
        while (queue.length >= 2 * max && !stopped) await new Promise<void>((resolve) => (drained = resolve));
      }
    } catch (err) {
      failure = { err };
    } finally {
      ended = true;
      arrived?.();
    }
  })();

  try {
    for (;;) {
      while (queue.length === 0 && !ended) await arrival();
      if (queue.length === 0) break;
      // One turn of the event loop moves every item the source already holds into the queue.
      await new Promise((resolve) => setImmediate(resolve));
      const until = Date.now() + lingerMs;
      for (let left = lingerMs; queue.length < max && !ended && left > 0; left = until - Date.now()) await arrival(left);
      const batch = queue.splice(0, max);
      drained?.();
      yield batch;
    }
    if (failure) throw failure.err;
  } finally {
    // A caller that stops early: the reader lets go of the source at its next item.
    stopped = true;
    drained?.();
  }
}
