import type { Logger } from '../logging/logger.js';

/**
 * What a step answers: `'more'` when work is still waiting (the next step runs at once), a number of
 * milliseconds until it next has something to do (capped at the loop's interval), or nothing (sleep a
 * whole interval).
 */
export type StepOutcome = 'more' | number | undefined;

export interface BackgroundLoopOptions {
  /** Named in the warning a failed step logs. */
  name: string;
  logger: Logger;
  /** The longest sleep between two steps: the poll that catches what no wake-up announced. */
  intervalMs: number;
  /** One round of work. A throw is logged and retried after a back-off; it never ends the loop. */
  // biome-ignore lint/suspicious/noConfusingVoidType: a step with nothing to say is an `async` function that returns nothing.
  step(): Promise<StepOutcome | void>;
  /** Sleep one interval before the first step (a periodic sweep), rather than run it at once. */
  startIdle?: boolean;
  /** The longest back-off after failed steps, which doubles from one interval; at least the interval. */
  maxBackoffMs?: number;
}

export interface BackgroundLoop {
  /** Runs the next step now: at once if the loop sleeps, or right after the step in hand. */
  wake(): void;
  /** Resolves once the step in hand (if any) has ended; no step runs and no timer is left after. */
  stop(): Promise<void>;
  /** True from the call to `stop()`: a long step checks it to end early. */
  readonly stopping: boolean;
}

const MAX_BACKOFF_MS = 10_000;

/**
 * Runs `step` over and over in the background, sleeping between steps, for the pollers and sweeps of
 * every service. A wake-up that comes while a step runs is kept, so the sleep after it is skipped:
 * a row committed mid-step never waits a whole interval.
 */
export function startBackgroundLoop(opts: BackgroundLoopOptions): BackgroundLoop {
  const maxBackoffMs = Math.max(opts.intervalMs, opts.maxBackoffMs ?? MAX_BACKOFF_MS);
  let stopping = false;
  let woken = false;
  let cutShort: (() => void) | undefined;

  const sleep = (ms: number) =>
    new Promise<void>((resolve) => {
      if (woken || stopping || ms <= 0) return resolve();
      const done = () => {
        clearTimeout(timer);
        cutShort = undefined;
        resolve();
      };
      const timer = setTimeout(done, ms);
      cutShort = done;
    });

  const run = async () => {
    // The first step waits for a turn of the event loop: the caller holds the handle by then, which
    // a step may use (`stopping`, `wake()`).
    await Promise.resolve();
    let failures = 0;
    if (opts.startIdle) await sleep(opts.intervalMs);
    while (!stopping) {
      woken = false;
      let pauseMs: number;
      try {
        const outcome = await opts.step();
        failures = 0;
        pauseMs = outcome === 'more' ? 0 : Math.min(outcome ?? opts.intervalMs, opts.intervalMs);
      } catch (err) {
        if (stopping) break;
        failures += 1;
        pauseMs = Math.min(opts.intervalMs * 2 ** Math.min(failures - 1, 30), maxBackoffMs);
        opts.logger.warn({ err, loop: opts.name, failures, retryInMs: pauseMs }, `${opts.name} failed; will try again`);
      }
      await sleep(pauseMs);
    }
  };
  const loop = run();

  return {
    wake() {
      if (stopping) return;
      woken = true;
      cutShort?.();
    },
    async stop() {
      stopping = true;
      cutShort?.();
      await loop;
    },
    get stopping() {
      return stopping;
    },
  };
}
