import type { ChangedBy } from '@headlesskey/contracts';

/** Who an event's metadata names as its actor: the administrator's id, or `cli:<operator>`. */
export const actorOf = (by: ChangedBy): string | number => ('cli' in by ? `cli:${by.cli}` : by.user_id);
