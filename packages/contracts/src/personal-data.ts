/**
 * What of an event is a person's data (README, Erasure): the fields that name, reach or place
 * them. Their values are replaced by `ERASED` when the person's account is deleted; ids, types,
 * times and outcomes stay, so the history keeps its shape and counts.
 */
export const PERSONAL_FIELDS: ReadonlySet<string> = new Set([
  'user_login',
  'user_email',
  'display_name',
  'email',
  'login',
  'ip',
  'userAgent',
  'user_agent',
  'device',
  'remote_sub',
]);

export const ERASED = '[erased]';

/** A copy of `value` with every personal field, at any depth, erased. */
export function erasePersonal<T>(value: T): T {
  if (Array.isArray(value)) return value.map(erasePersonal) as T;
  if (value === null || typeof value !== 'object') return value;
  const out: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(value)) out[key] = PERSONAL_FIELDS.has(key) && item !== null ? ERASED : erasePersonal(item);
  return out as T;
}

/** Whether an event (its `data` and `meta`) is about the user, or was done by them. */
export function concernsUser(event: { data?: unknown; meta?: unknown }, userId: number): boolean {
  const data = (event.data ?? {}) as { user_id?: unknown; by?: { user_id?: unknown } };
  const meta = (event.meta ?? {}) as { actor?: unknown };
  return data.user_id === userId || data.by?.user_id === userId || meta.actor === String(userId);
}
