import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type PrivatePostgres, startPrivatePostgres } from '../../../../test/support/private-postgres.js';
import { eventually } from '../../../../test/support/users.js';
import { createLogger } from '../logging/logger.js';
import { openStore, type Store } from './database.js';
import { isDatabaseOutage } from './outage.js';

let server: PrivatePostgres;
let store: Store;
const uncaught: unknown[] = [];
const onUncaught = (err: unknown) => uncaught.push(err);

beforeAll(async () => {
  server = await startPrivatePostgres();
  store = await openStore({
    serverUrl: server.url,
    database: 'restart_test',
    entities: [],
    migrations: [],
    logger: createLogger('test', 'silent'),
    poolSize: 8,
  });
  await store.db.execute('create table counter (id int primary key, n int not null)');
  await store.db.execute('insert into counter values (1, 0)');
  process.on('uncaughtException', onUncaught);
});

afterAll(async () => {
  process.off('uncaughtException', onUncaught);
  await store?.close();
  await server?.stop();
});

/** A transaction that holds its connection between two statements, as a handler awaiting other work does. */
const work = () =>
  store.db.transaction(async (tx) => {
    await tx.execute('select n from counter where id = 1');
    await new Promise((resolve) => setImmediate(resolve));
    await tx.execute('update counter set n = n + 1 where id = 1');
  });

describe('a database restart under load', () => {
  it('fails the transactions it cuts off, raises nothing uncaught, and the next ones commit', async () => {
    let stop = false;
    let committed = 0;
    const failures: unknown[] = [];
    const worker = async () => {
      while (!stop) {
        try {
          await work();
          committed++;
        } catch (err) {
          failures.push(err);
        }
      }
    };
    const workers = Array.from({ length: 8 }, worker);
    await eventually(async () => (committed > 50 ? true : undefined), 10_000, 'load before the restart');
    await server.restart();
    const after = committed;
    await eventually(async () => (committed > after + 50 ? true : undefined), 10_000, 'commits after the restart');
    stop = true;
    await Promise.all(workers);
    expect(uncaught).toEqual([]);
    expect(failures.length).toBeGreaterThan(0);
    // Each cut-off transaction failed as an outage (answered 503), never as a bad statement.
    expect(failures.filter((err) => !isDatabaseOutage(err))).toEqual([]);
  });

  it('fails at once as an outage while the server is down, and works again once it is back', async () => {
    await server.halt();
    try {
      const started = Date.now();
      const failed = await work().then(
        () => undefined,
        (err: unknown) => err,
      );
      expect(isDatabaseOutage(failed)).toBe(true);
      expect(Date.now() - started).toBeLessThan(2000);
    } finally {
      await server.start();
    }
    await eventually(
      () =>
        work().then(
          () => true,
          () => undefined,
        ),
      10_000,
      'a transaction after the server came back',
    );
    expect(uncaught).toEqual([]);
  });
});
