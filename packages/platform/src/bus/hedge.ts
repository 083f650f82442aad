/**
 * When to send a command again while its earlier attempts are still unanswered: a read-only one,
 * or one sent with a key (its service runs it once, and a repeat finding its first run's process
 * gone runs it at once; see command-replies.ts).
 *
 * A replica killed outright loses the requests it had taken, and NATS says nothing of it: the
 * caller would wait its whole deadline for an answer that never comes. So such a command is
 * sent again when its answer is late — later than its recent answers took, as TCP's
 * retransmission timeout (RFC 6298) judges it: the smoothed latency plus four times its smoothed
 * deviation — each further attempt after twice the wait of the one before, all within the one
 * deadline. The first answer wins; the others are dropped. A budget caps the extra attempts at a
 * tenth of the commands sent, so a slow spell cannot double the load that made it slow.
 */
export interface HedgePolicy {
  /** How long to wait for an answer before sending the command again. */
  delayMs(subject: string, timeoutMs: number): number;
  /** An answer came `ms` after its attempt was sent. */
  observe(subject: string, ms: number): void;
  /** A first attempt was sent: it earns a share of an extra one. */
  sent(): void;
  /** Takes one extra attempt from the budget; false when it is spent. */
  spend(): boolean;
}

export interface HedgeOptions {
  /** Never sooner than this after an attempt, however fast the answers have been. */
  minDelayMs?: number;
  /** The wait before anything has been answered. */
  initialDelayMs?: number;
  /** Extra attempts earned by each first attempt. */
  ratio?: number;
  /** Extra attempts the budget holds at most (and starts with). */
  burst?: number;
}

export const HEDGE_DEFAULTS = { minDelayMs: 50, initialDelayMs: 500, ratio: 0.1, burst: 20 } as const;

/** At least this many attempts fit in a deadline: the first wait is at most a third of it. */
const ATTEMPTS_PER_DEADLINE = 3;

interface Estimate {
  smoothed: number;
  deviation: number;
}

export function createHedgePolicy(options: HedgeOptions = {}): HedgePolicy {
  const { minDelayMs, initialDelayMs, ratio, burst } = { ...HEDGE_DEFAULTS, ...options };
  const estimates = new Map<string, Estimate>();
  let budget = burst;
  return {
    delayMs(subject, timeoutMs) {
      const e = estimates.get(subject);
      const late = e ? e.smoothed + 4 * e.deviation : initialDelayMs;
      return Math.min(Math.max(minDelayMs, late), timeoutMs / ATTEMPTS_PER_DEADLINE);
    },
    observe(subject, ms) {
      const e = estimates.get(subject);
      if (!e) {
        estimates.set(subject, { smoothed: ms, deviation: ms / 2 });
        return;
      }
      e.deviation = 0.75 * e.deviation + 0.25 * Math.abs(e.smoothed - ms);
      e.smoothed = 0.875 * e.smoothed + 0.125 * ms;
    },
    sent() {
      budget = Math.min(burst, budget + ratio);
    },
    spend() {
      if (budget < 1) return false;
      budget -= 1;
      return true;
    },
  };
}
