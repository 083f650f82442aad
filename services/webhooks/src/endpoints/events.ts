import { webhooksCommands } from '@headlesskey/contracts';

const ALL = webhooksCommands.ALL_EVENTS;

/** The event types an endpoint keeps: `["*"]` for all (also when `*` is among others), else the list, sorted. */
export function normalizeEvents(events: readonly string[] | undefined): string[] {
  if (events === undefined || events.length === 0 || events.includes(ALL)) return [ALL];
  return [...new Set(events)].sort();
}

/** Whether an endpoint with these event types wants an event of this type. */
export function wants(events: readonly string[], type: string): boolean {
  return events.includes(ALL) || events.includes(type);
}
