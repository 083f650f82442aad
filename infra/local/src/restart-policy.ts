/** When the supervisor starts a crashed service again, and when it stops trying. */
export interface RestartPolicy {
  /** This many crashes of one service within `windowMs` are a crash loop: everything stops. */
  maxCrashes: number;
  windowMs: number;
  /** Wait before the first restart; doubled for each further recent crash, up to `maxDelayMs`. */
  firstDelayMs: number;
  maxDelayMs: number;
}

/**
 * Five crashes a minute: a bad setting or a dead store fails every start within a few seconds,
 * while a service that crashes now and then is restarted for ever.
 */
export const DEFAULT_RESTART_POLICY: RestartPolicy = { maxCrashes: 5, windowMs: 60_000, firstDelayMs: 100, maxDelayMs: 5_000 };

export type Verdict = { restart: true; delayMs: number; recent: number[] } | { restart: false; recent: number[] };

/** Given the times of a service's earlier crashes, decides about the one at `now`. */
export function afterCrash(policy: RestartPolicy, earlier: readonly number[], now: number): Verdict {
  const recent = [...earlier, now].filter((time) => now - time < policy.windowMs);
  if (recent.length >= policy.maxCrashes) return { restart: false, recent };
  const delayMs = Math.min(policy.maxDelayMs, policy.firstDelayMs * 2 ** (recent.length - 1));
  return { restart: true, delayMs, recent };
}
