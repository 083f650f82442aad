import { type CommonConfig, type Logger, openStore, type Store } from '@headlesskey/platform';
import { auditMigrations } from './migrations.js';

/** The audit service's own database, migrated: the service and its CLI open it alike. */
export function openAuditStore(config: CommonConfig, logger: Logger, poolSize?: number): Promise<Store> {
  return openStore({
    serverUrl: config.databaseUrl,
    database: config.names.database('audit'),
    entities: [],
    migrations: auditMigrations,
    logger,
    poolSize,
  });
}
