import { Migration } from '@mikro-orm/migrations';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { backendUrls, dropInstance, uniqueInstance } from '../../../../test/support/instance.js';
import { eventually } from '../../../../test/support/users.js';
import { createLogger } from '../logging/logger.js';
import { databaseUrl, openStore, type Store } from './database.js';

const names = uniqueInstance();
const { databaseUrl: serverUrl } = backendUrls();
const logger = createLogger('test', 'silent');
const stores: Store[] = [];

class ReadModelMigration extends Migration {
  override async up(): Promise<void> {
    this.addSql('create table read_model (id text primary key)');
  }
}

/** Slow enough that a second replica reaches its migrator while the first is still migrating. */
class SlowReadModelMigration extends Migration {
  override async up(): Promise<void> {
    this.addSql('create table read_model (id text primary key)');
    this.addSql('select pg_sleep(0.5)');
  }
}

const migrations = [{ name: '0001_read_model', class: ReadModelMigration }];
const slowMigrations = [{ name: '0001_read_model', class: SlowReadModelMigration }];

async function open(database: string, list = migrations): Promise<Store> {
  const store = await openStore({ serverUrl, database, entities: [], migrations: list, logger, poolSize: 2 });
  stores.push(store);
  return store;
}

async function query<R extends pg.QueryResultRow>(database: string, sql: string): Promise<R[]> {
  const client = new pg.Client({ connectionString: databaseUrl(serverUrl, database) });
  await client.connect();
  try {
    return (await client.query<R>(sql)).rows;
  } finally {
    await client.end();
  }
}

afterAll(async () => {
  await Promise.all(stores.map((s) => s.close()));
  await dropInstance(names);
});

describe('openStore', () => {
  it('creates the database and runs the event store’s migration, then the service’s', async () => {
    const database = names.database('identity');
    await open(database);
    const applied = await query<{ name: string }>(database, 'select name from schema_migrations order by id');
    expect(applied.map((r) => r.name)).toEqual([
      '0000_event_store',
      '0000_event_store_snapshots',
      '0000_command_replies',
      '0001_command_replies_holder',
      '0001_read_model',
    ]);
    const tables = await query<{ table_name: string }>(
      database,
      "select table_name from information_schema.tables where table_schema = 'public' order by table_name",
    );
    expect(tables.map((t) => t.table_name)).toEqual(
      expect.arrayContaining(['events', 'outbox', 'snapshots', 'command_replies', 'read_model', 'schema_migrations']),
    );
  });

  it('opens the same database again without re-running a migration or losing data', async () => {
    const database = names.database('identity');
    const first = await open(database);
    await first.db.execute("insert into read_model (id) values ('kept')");
    await open(database);
    const applied = await query<{ name: string }>(database, 'select name from schema_migrations order by id');
    expect(applied.map((r) => r.name)).toEqual([
      '0000_event_store',
      '0000_event_store_snapshots',
      '0000_command_replies',
      '0001_command_replies_holder',
      '0001_read_model',
    ]);
    expect(await query(database, 'select id from read_model')).toEqual([{ id: 'kept' }]);
  });

  it('commits a transaction that resolves, rolls back one that throws, and binds parameters as values', async () => {
    const database = names.database('webhooks');
    const store = await open(database);
    await store.db.transaction((tx) => tx.execute('insert into read_model (id) values (?)', ["it's ?; drop table read_model"]));
    const thrown = store.db.transaction(async (tx) => {
      await tx.execute('insert into read_model (id) values (?)', ['rolled back']);
      throw new Error('changed my mind');
    });
    await expect(thrown).rejects.toThrow('changed my mind');
    expect(await store.db.execute('select id from read_model order by id')).toEqual([{ id: "it's ?; drop table read_model" }]);
    // Every connection went back to the pool, none left inside a transaction.
    expect(store.db.pool.idleCount).toBe(store.db.pool.totalCount);
    expect(
      await store.db.execute('select count(*)::int as n from pg_stat_activity where datname = current_database() and state like ?', [
        'idle in transaction%',
      ]),
    ).toEqual([{ n: 0 }]);
  });

  it('prepares each statement once per connection and runs it again by name', async () => {
    const store = await open(names.database('webhooks'));
    const prepared = await store.db.transaction(async (tx) => {
      expect(await tx.execute('select ?::int + 1 as n', [1])).toEqual([{ n: 2 }]);
      expect(await tx.execute('select ?::int + 1 as n', [41])).toEqual([{ n: 42 }]);
      return tx.execute<{ statement: string }[]>('select statement from pg_prepared_statements order by statement');
    });
    expect(prepared.map((p) => p.statement)).toEqual([
      'select $1::int + 1 as n',
      'select statement from pg_prepared_statements order by statement',
    ]);
  });

  it('lives through the server dropping its idle connections, and answers on new ones', async () => {
    const database = names.database('audit');
    const store = await open(database);
    await store.db.execute('select 1');
    expect(store.db.pool.idleCount).toBeGreaterThan(0);
    await query(
      database,
      'select pg_terminate_backend(pid) from pg_stat_activity where datname = current_database() and pid <> pg_backend_pid()',
    );
    // The pool hears each dropped connection and discards it; the next query opens a fresh one.
    await eventually(async () => store.db.pool.idleCount === 0 || undefined, 5000, 'the pool to drop its dead connections');
    expect(await store.db.execute('select 2 as n')).toEqual([{ n: 2 }]);
  });

  it('lets two replicas open a fresh database at the same time', async () => {
    const database = names.database('tokens');
    const opened = await Promise.allSettled([open(database, slowMigrations), open(database, slowMigrations)]);
    expect(opened.map((o) => (o.status === 'rejected' ? String(o.reason) : o.status))).toEqual(['fulfilled', 'fulfilled']);
    const applied = await query<{ name: string }>(database, 'select name from schema_migrations order by id');
    expect(applied.map((r) => r.name)).toEqual([
      '0000_event_store',
      '0000_event_store_snapshots',
      '0000_command_replies',
      '0001_command_replies_holder',
      '0001_read_model',
    ]);
  });

  it('lets three replicas open an existing database at the same time', async () => {
    const database = names.database('tokens');
    const opened = await Promise.allSettled([open(database), open(database), open(database)]);
    expect(opened.map((o) => o.status)).toEqual(['fulfilled', 'fulfilled', 'fulfilled']);
    expect(await query(database, 'select count(*)::int as n from schema_migrations')).toEqual([{ n: 5 }]);
  });
});

describe('databaseUrl', () => {
  it('points a server URL at one database, keeping credentials, host and options', () => {
    expect(databaseUrl('postgres://app:s3cret@db:5433/postgres?sslmode=require', 'hk_identity')).toBe(
      'postgres://app:s3cret@db:5433/hk_identity?sslmode=require',
    );
    expect(databaseUrl('postgresql://127.0.0.1', 'hk_tokens')).toBe('postgresql://127.0.0.1/hk_tokens');
  });
});
