import type { Names } from '@headlesskey/contracts';
import type { MigrationObject } from '@mikro-orm/core';
import { createLogger } from '../../packages/platform/src/logging/logger.js';
import { openStore, type Store } from '../../packages/platform/src/store/database.js';
import { backendUrls } from './instance.js';

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
