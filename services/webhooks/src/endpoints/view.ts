import type { webhooksCommands } from '@headlesskey/contracts';
import type { EndpointRow } from './store.js';

/** What the admin API shows of an endpoint: everything but its secrets. */
export function toWebhookView(row: EndpointRow): webhooksCommands.WebhookView {
  return {
    id: row.id,
    url: row.url,
    events: row.events,
    description: row.description,
    enabled: row.enabled,
    disabled_reason: row.disabled_reason,
    created_at: row.created_at,
    updated_at: row.updated_at,
  };
}

/** The secrets a delivery is signed with now: the current one, and the previous one while it overlaps. */
export function signingSecrets(
  row: Pick<EndpointRow, 'secret' | 'previous_secret' | 'previous_secret_expires_at'>,
  nowMs: number,
): string[] {
  const expires = row.previous_secret_expires_at === null ? Number.NaN : Date.parse(row.previous_secret_expires_at);
  const previousLive = row.previous_secret !== null && expires > nowMs;
  return previousLive ? [row.secret, row.previous_secret!] : [row.secret];
}
