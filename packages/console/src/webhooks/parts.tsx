import type { Webhook } from './queries.js';

export function EventTypes({ events }: { events: string[] }) {
  if (events.includes('*')) return <>All</>;
  return <>{events.join(', ')}</>;
}

/** On or off, and why the service turned it off (`gone`: the endpoint answered 410). */
export function Status({ webhook }: { webhook: Webhook }) {
  if (webhook.enabled) return <>Enabled</>;
  return <>Disabled{webhook.disabled_reason === 'gone' ? ' (it answered 410 Gone)' : ''}</>;
}
