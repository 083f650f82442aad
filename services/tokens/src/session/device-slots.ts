import type { Settings } from '@headlesskey/contracts';

export interface LiveSession {
  id: string;
  /** The device's name when the client gave one; null for one known only by its User-Agent. */
  namedDevice: string | null;
  /** Epoch seconds of the last login, refresh or validate. */
  lastSeen: number;
}

/** What a login does with the user's device slots. */
export type SlotPlan = { kind: 'reopen'; sessionId: string } | { kind: 'open'; evict: string[] } | { kind: 'reject' };

/**
 * A session is a device. A device the client names (`device`, `X-Device-Id`) logging in again
 * takes its own slot back; a login that names none always opens a session of its own, since a
 * User-Agent is shared by every tab and every copy of one browser version and so names nobody's
 * device. Past the limit a new session is refused (`reject`) or ends the least recently used ones
 * (`evict_oldest`). A limit of 0 means no limit.
 */
export function planLogin(
  live: readonly LiveSession[],
  namedDevice: string | undefined,
  limit: Settings['device_limit'],
  policy: Settings['device_policy'],
): SlotPlan {
  const same = namedDevice === undefined ? undefined : live.find((s) => s.namedDevice === namedDevice);
  if (same) return { kind: 'reopen', sessionId: same.id };
  if (limit === 0 || live.length < limit) return { kind: 'open', evict: [] };
  if (policy === 'reject') return { kind: 'reject' };
  const oldestFirst = [...live].sort((a, b) => a.lastSeen - b.lastSeen || a.id.localeCompare(b.id));
  return { kind: 'open', evict: oldestFirst.slice(0, live.length - limit + 1).map((s) => s.id) };
}
