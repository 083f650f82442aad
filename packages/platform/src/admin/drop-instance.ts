import type { Names } from '@headlesskey/contracts';
import { jetstreamManager } from '@nats-io/jetstream';
import { Kvm } from '@nats-io/kv';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import pg from 'pg';

/** Where an instance lives. */
export interface Backends {
  databaseUrl: string;
  natsUrl: string;
}

/** What of an instance exists on its servers. */
export interface InstanceInventory {
  databases: string[];
  /** Its event stream, when it exists, and the durable consumers on it. */
  stream?: { name: string; consumers: string[] };
  buckets: string[];
}

/** Finds what an instance created, by the names `contracts` gives it (never by a prefix, which another instance may share). */
export async function inventoryInstance(n: Names, backends: Backends): Promise<InstanceInventory> {
  const databases = await withDatabase(backends.databaseUrl, async (db) => {
    const { rows } = await db.query<{ datname: string }>('select datname from pg_database where datname = any($1::text[])', [n.databases]);
    const found = new Set(rows.map((r) => r.datname));
    return n.databases.filter((name) => found.has(name));
  });
  return withNats(backends.natsUrl, async (nc) => {
    const jsm = await jetstreamManager(nc);
    const stream = await jsm.streams
      .info(n.eventStream)
      .then(async () => ({ name: n.eventStream, consumers: (await jsm.consumers.list(n.eventStream).next()).map((c) => c.name) }))
      .catch(() => undefined);
    const buckets: string[] = [];
    for (const bucket of n.buckets) {
      const exists = await new Kvm(nc)
        .open(bucket)
        .then((kv) => kv.status())
        .then(
          () => true,
          () => false,
        );
      if (exists) buckets.push(bucket);
    }
    return { databases, stream, buckets };
  });
}

/**
 * Drops everything an instance created: its databases (closing their connections), its event
 * stream with its consumers, and its KV buckets. What does not exist is skipped.
 */
export async function dropInstance(n: Names, backends: Backends): Promise<void> {
  await withDatabase(backends.databaseUrl, async (db) => {
    // Identifiers cannot be bound; these are built from a checked instance name.
    for (const database of n.databases) await db.query(`drop database if exists "${database}" with (force)`);
  });
  await withNats(backends.natsUrl, async (nc) => {
    const jsm = await jetstreamManager(nc);
    await jsm.streams.delete(n.eventStream).catch(() => false);
    for (const bucket of n.buckets) {
      await new Kvm(nc)
        .open(bucket)
        .then((kv) => kv.destroy())
        .catch(() => false);
    }
  });
}

async function withDatabase<T>(url: string, work: (db: pg.Client) => Promise<T>): Promise<T> {
  const db = new pg.Client({ connectionString: url });
  await db.connect();
  try {
    return await work(db);
  } finally {
    await db.end();
  }
}

async function withNats<T>(url: string, work: (nc: NatsConnection) => Promise<T>): Promise<T> {
  const nc = await connect({ servers: url.split(',') });
  try {
    return await work(nc);
  } finally {
    await nc.close();
  }
}
