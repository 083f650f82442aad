import type { Sql } from '@headlesskey/platform';
import { iso } from '../schema/sql.js';

/** An endpoint as stored, secrets included: never sent anywhere as it is. */
export interface EndpointRow {
  id: string;
  url: string;
  description: string;
  events: string[];
  enabled: boolean;
  disabled_reason: string | null;
  secret: string;
  previous_secret: string | null;
  /** ISO 8601 UTC. */
  previous_secret_expires_at: string | null;
  created_at: string;
  updated_at: string;
}

const ROW = `id, url, description, events, enabled, disabled_reason, secret, previous_secret,
  ${iso('previous_secret_expires_at')} as previous_secret_expires_at, ${iso('created_at')} as created_at, ${iso('updated_at')} as updated_at`;

export interface NewEndpoint {
  id: string;
  url: string;
  description: string;
  events: string[];
  enabled: boolean;
  secret: string;
}

export interface EndpointPatch {
  url?: string;
  description?: string;
  events?: string[];
  enabled?: boolean;
}

export async function insertEndpoint(tx: Sql, e: NewEndpoint): Promise<EndpointRow> {
  const [row] = await tx.execute<EndpointRow[]>(
    `insert into endpoints (id, url, description, events, enabled, secret) values (?, ?, ?, ?::jsonb, ?, ?) returning ${ROW}`,
    [e.id, e.url, e.description, JSON.stringify(e.events), e.enabled, e.secret],
  );
  return row!;
}

export function listEndpoints(tx: Sql): Promise<EndpointRow[]> {
  return tx.execute<EndpointRow[]>(`select ${ROW} from endpoints order by created_at, id`);
}

export async function findEndpoint(tx: Sql, id: string): Promise<EndpointRow | undefined> {
  const [row] = await tx.execute<EndpointRow[]>(`select ${ROW} from endpoints where id = ?`, [id]);
  return row;
}

/** Changes what the patch names; setting `enabled` either way clears why the service had disabled it. */
export async function updateEndpoint(tx: Sql, id: string, patch: EndpointPatch): Promise<EndpointRow | undefined> {
  const [row] = await tx.execute<EndpointRow[]>(
    `update endpoints set
       url = coalesce(?, url),
       description = coalesce(?, description),
       events = coalesce(?::jsonb, events),
       enabled = coalesce(?::boolean, enabled),
       disabled_reason = case when ?::boolean is null then disabled_reason else null end,
       updated_at = now()
     where id = ? returning ${ROW}`,
    [
      patch.url ?? null,
      patch.description ?? null,
      patch.events ? JSON.stringify(patch.events) : null,
      patch.enabled ?? null,
      patch.enabled ?? null,
      id,
    ],
  );
  return row;
}

/** Its deliveries and their attempts go with it. */
export async function deleteEndpoint(tx: Sql, id: string): Promise<boolean> {
  const rows = await tx.execute<{ id: string }[]>('delete from endpoints where id = ? returning id', [id]);
  return rows.length > 0;
}

/** The current secret becomes the previous one, which keeps signing for `overlapSeconds`. */
export async function rotateSecret(tx: Sql, id: string, secret: string, overlapSeconds: number): Promise<string | undefined> {
  const [row] = await tx.execute<{ previous_secret_expires_at: string }[]>(
    `update endpoints set previous_secret = secret, previous_secret_expires_at = now() + ? * interval '1 second',
       secret = ?, updated_at = now()
     where id = ? returning ${iso('previous_secret_expires_at')} as previous_secret_expires_at`,
    [overlapSeconds, secret, id],
  );
  return row?.previous_secret_expires_at;
}

/** Called after a 410 Gone: the endpoint stops receiving until an administrator enables it again. */
export async function disableEndpoint(tx: Sql, id: string, reason: string): Promise<void> {
  await tx.execute('update endpoints set enabled = false, disabled_reason = ?, updated_at = now() where id = ?', [reason, id]);
}
