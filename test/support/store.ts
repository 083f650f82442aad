import type { Names } from '@headlesskey/contracts';
import type { MigrationObject } from '@mikro-orm/core';
import { afterAll, beforeAll } from 'vitest';
import { createLogger } from '../../packages/platform/src/logging/logger.js';
import { openStore, type Store } from '../../packages/platform/src/store/database.js';
import type { StoreScope } from '../../packages/platform/src/store/event-store.js';
import { backendUrls, dropInstance, uniqueInstance } from './instance.js';

/** A platform test's own store: the instance's identity database, with the test's migrations. */
export function openTestStore(names: Names, migrations: MigrationObject[] = []): Promise<Store> {
  return openStore({
    serverUrl: backendUrls().databaseUrl,
    database: names.database('identity'),
    entities: [],
    migrations,
    logger: createLogger('test', 'silent'),
  });
}

/**
 * A test file's store on an instance of its own: opened before the file's tests (`use` hands it
 * to the file's own variable), closed and dropped after. Gives the instance's names and the
 * identity scope its events are appended in.
 */
export function withTestStore(use: (store: Store) => void, migrations: MigrationObject[] = []): { names: Names; scope: StoreScope } {
  const names = uniqueInstance();
  let store: Store | undefined;
  beforeAll(async () => {
    store = await openTestStore(names, migrations);
    use(store);
  });
  afterAll(async () => {
    await store?.close();
    await dropInstance(names);
  });
  return { names, scope: { service: 'identity', names } };
}
