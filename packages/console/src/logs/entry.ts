import type { auditCommands } from '@headlesskey/contracts';

/** One activity-log entry, as `GET /logs` answers it. */
export type LogEntry = auditCommands.ActivityEntryView;
export type LogsPage = auditCommands.LogsPage;

/** The server's order, newest first: by time, then by id, as its cursor pages. */
export function newestFirst(a: LogEntry, b: LogEntry): number {
  if (a.occurred_at !== b.occurred_at) return a.occurred_at < b.occurred_at ? 1 : -1;
  return a.id < b.id ? 1 : a.id > b.id ? -1 : 0;
}

/** `fresh` and `older` as one list, each entry once, newest first. */
export function merged(fresh: readonly LogEntry[], older: readonly LogEntry[]): LogEntry[] {
  const byId = new Map<string, LogEntry>();
  for (const entry of [...fresh, ...older]) byId.set(entry.id, entry);
  return [...byId.values()].sort(newestFirst);
}
