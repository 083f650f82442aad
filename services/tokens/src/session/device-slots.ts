import type { Settings } from '@headlesskey/contracts';

export interface LiveSession {
  id: string;
  device: string;
  /** Epoch seconds of the last login, refresh or validate. */
  lastSeen: number;
}

/** What a login does with the user's device slots. */
export type SlotPlan = { kind: 'reopen'; sessionId: string } | { kind: 'open'; evict: string[] } | { kind: 'reject' };

/**
 * A session is a device. The same device logging in again takes its own slot back; a new device
 * past the limit is refused (`reject`) or ends the least recently used sessions (`evict_oldest`).
 * A limit of 0 means no limit.
 */
export function planLogin(
  live: readonly LiveSession[],
  device: string,
  limit: Settings['device_limit'],
  policy: Settings['device_policy'],
): SlotPlan {
  const same = live.find((s) => s.device === device);
  if (same) return { kind: 'reopen', sessionId: same.id };
  if (limit === 0 || live.length < limit) return { kind: 'open', evict: [] };
  if (policy === 'reject') return { kind: 'reject' };
  const oldestFirst = [...live].sort((a, b) => a.lastSeen - b.lastSeen || a.id.localeCompare(b.id));
  return { kind: 'open', evict: oldestFirst.slice(0, live.length - limit + 1).map((s) => s.id) };
}
