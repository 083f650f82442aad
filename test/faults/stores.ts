import type { Names } from '@headlesskey/contracts';
import { jetstreamManager } from '@nats-io/jetstream';
import { connect } from '@nats-io/transport-node';
import pg from 'pg';

/** The services that keep an event store; their events are the stream's and the activity log's. */
const EVENT_STORES = ['identity', 'tokens', 'audit', 'webhooks'] as const;

export interface Backing {
  names: Names;
  databaseUrl: string;
  natsUrl: string;
}

/** Runs one query on one service's database. */
export async function query<T extends pg.QueryResultRow>(
  backing: Backing,
  service: (typeof EVENT_STORES)[number],
  text: string,
  values: unknown[] = [],
): Promise<T[]> {
  const url = new URL(backing.databaseUrl);
  url.pathname = `/${backing.names.database(service)}`;
  const db = new pg.Client({ connectionString: url.toString() });
  await db.connect();
  try {
    return (await db.query<T>(text, values)).rows;
  } finally {
    await db.end();
  }
}

/** Every event id in the services' event stores, with when it was recorded. */
export async function storedEvents(backing: Backing): Promise<{ id: string; recorded_at: Date }[]> {
  const all = await Promise.all(
    EVENT_STORES.map((service) => query<{ id: string; recorded_at: Date }>(backing, service, 'select id, recorded_at from events')),
  );
  return all.flat();
}

/** When the activity log took in each of its events (the audit service's clock: this machine's). */
export async function projectionTimes(backing: Backing): Promise<Map<string, number>> {
  const rows = await query<{ event_id: string; projected_at: Date }>(backing, 'audit', 'select event_id, projected_at from activity_log');
  return new Map(rows.map((r) => [r.event_id, r.projected_at.getTime()]));
}

/** Every event id the activity log holds. */
export async function loggedEvents(backing: Backing): Promise<string[]> {
  return (await query<{ event_id: string }>(backing, 'audit', 'select event_id from activity_log')).map((r) => r.event_id);
}

/** How many messages the instance's event stream holds. */
export async function streamMessages(backing: Backing): Promise<number> {
  const nc = await connect({ servers: backing.natsUrl.split(','), timeout: 5000 });
  try {
    const info = await (await jetstreamManager(nc, { timeout: 5000 })).streams.info(backing.names.eventStream);
    return info.state.messages;
  } finally {
    await nc.close();
  }
}

export interface Counts {
  stored: number;
  streamed: number;
  logged: number;
  /** Ids in a store and not in the log, and the other way round: a few, for the report. */
  notLogged: string[];
  notStored: string[];
}

export async function counts(backing: Backing): Promise<Counts> {
  const [stored, logged, streamed] = await Promise.all([storedEvents(backing), loggedEvents(backing), streamMessages(backing)]);
  const storedIds = new Set(stored.map((e) => e.id));
  const loggedIds = new Set(logged);
  return {
    stored: storedIds.size,
    streamed,
    logged: loggedIds.size,
    notLogged: [...storedIds].filter((id) => !loggedIds.has(id)).slice(0, 5),
    notStored: [...loggedIds].filter((id) => !storedIds.has(id)).slice(0, 5),
  };
}

export const countsAgree = (c: Counts) =>
  c.stored === c.streamed && c.stored === c.logged && c.notLogged.length === 0 && c.notStored.length === 0;
