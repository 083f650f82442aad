import type { MigrationObject } from '@mikro-orm/core';
import { Migrator } from '@mikro-orm/migrations';
import { type EntitySchema, MikroORM, PostgreSqlDriver } from '@mikro-orm/postgresql';
import pg from 'pg';
import type { Logger } from 'pino';
import { CommandRepliesHolderMigration, CommandRepliesMigration } from '../idempotency/command-replies.js';
import { EventStoreMigration } from './event-store-migration.js';
import { OutboxMessage, StoredEvent } from './event-store-schema.js';
import { SnapshotsMigration } from './snapshots.js';
import { type Database, openDatabase } from './sql.js';

/** A service's own database: its schema kept by MikroORM's migrator, its statements sent through `db`. */
export interface Store {
  /** A pg pool with bound parameters (see `sql.ts`). */
  db: Database;
  close(): Promise<void>;
}

export interface StoreOptions {
  /** A server URL; the database named `database` is created on it when missing. */
  serverUrl: string;
  database: string;
  entities: EntitySchema[];
  /** The service's own migrations, run after the event store's at every start. */
  migrations: MigrationObject[];
  logger: Logger;
  poolSize?: number;
}

/** Creates a database if it does not exist; a concurrent creator winning the race is fine. */
export async function ensureDatabase(serverUrl: string, database: string): Promise<void> {
  const client = new pg.Client({ connectionString: serverUrl });
  await client.connect();
  try {
    const { rowCount } = await client.query('select 1 from pg_database where datname = $1', [database]);
    if (!rowCount) await client.query(`create database "${database}"`).catch(ignoreDuplicateDatabase);
  } finally {
    await client.end();
  }
}

function ignoreDuplicateDatabase(err: { code?: string }): void {
  // 42P04: duplicate_database; 23505: the catalog's unique index, when two creators race.
  if (err.code !== '42P04' && err.code !== '23505') throw err;
}

export function databaseUrl(serverUrl: string, database: string): string {
  const url = new URL(serverUrl);
  url.pathname = `/${database}`;
  return url.toString();
}

/** Opens a service's store and brings its schema up to date. */
export async function openStore(opts: StoreOptions): Promise<Store> {
  await ensureDatabase(opts.serverUrl, opts.database);
  const orm = await MikroORM.init({
    driver: PostgreSqlDriver,
    clientUrl: databaseUrl(opts.serverUrl, opts.database),
    entities: [StoredEvent, OutboxMessage, ...opts.entities],
    extensions: [Migrator],
    migrations: {
      tableName: 'schema_migrations',
      transactional: true,
      allOrNothing: true,
      silent: true,
      migrationsList: [
        { name: '0000_event_store', class: EventStoreMigration },
        { name: '0000_event_store_snapshots', class: SnapshotsMigration },
        { name: '0000_command_replies', class: CommandRepliesMigration },
        { name: '0001_command_replies_holder', class: CommandRepliesHolderMigration },
        ...opts.migrations,
      ],
    },
    // Only the migrations run through MikroORM's own connections.
    pool: { min: 1, max: 2 },
    discovery: { warnWhenNoEntities: false },
    allowGlobalContext: false,
  });
  try {
    await withAdvisoryLock(databaseUrl(opts.serverUrl, opts.database), 'schema_migrations', () => orm.getMigrator().up());
  } catch (err) {
    await orm.close();
    throw err;
  }
  opts.logger.info({ database: opts.database }, 'store ready');
  const db = openDatabase(databaseUrl(opts.serverUrl, opts.database), opts.poolSize ?? 10, opts.logger);
  return {
    db,
    async close() {
      await db.end();
      await orm.close();
    },
  };
}

/** Runs `fn` while holding a session advisory lock, so replicas starting together migrate one at a time. */
async function withAdvisoryLock<T>(url: string, key: string, fn: () => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query('select pg_advisory_lock(hashtext($1))', [key]);
    return await fn();
  } finally {
    await client.end();
  }
}
