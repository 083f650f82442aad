/** A budget: at most `max` requests at once, refilled evenly over `windowMs`. */
export interface RateRule {
  max: number;
  windowMs: number;
}

export type RateDecision = { allowed: true; tat: number } | { allowed: false; retryAfterMs: number };

/**
 * The generic cell rate algorithm: one number per client, its "theoretical arrival time" (`tat`),
 * stands for the whole history. Each request moves it on by `windowMs / max`; a request that
 * would move it more than a window ahead of now is over budget. So `max` requests may come at
 * once, and after that one per `windowMs / max` — no burst of twice the budget at a window's edge,
 * as fixed windows allow. Pure: the caller keeps `tat` and reads the clock.
 */
export function admit(rule: RateRule, storedTat: number | undefined, now: number): RateDecision {
  const interval = rule.windowMs / rule.max;
  const tat = Math.max(storedTat ?? now, now) + interval;
  if (tat - now > rule.windowMs) return { allowed: false, retryAfterMs: tat - rule.windowMs - now };
  return { allowed: true, tat };
}
