import { type CommandService, ping } from '@headlesskey/contracts';
import type { MigrationObject } from '@mikro-orm/core';
import type { EntitySchema } from '@mikro-orm/postgresql';
import { type CommandClient, createCommandClient } from '../bus/command-client.js';
import { type CommandServer, createCommandServer } from '../bus/command-server.js';
import { ensureEventStream } from '../bus/event-stream.js';
import { processLiveness } from '../bus/liveness.js';
import { createHookCaller, type HookCaller } from '../hooks/hook-caller.js';
import { commandReplies } from '../idempotency/command-replies.js';
import { type SettingsReader, watchSettings } from '../settings/settings-reader.js';
import { databaseUrl, openStore, type Store } from '../store/database.js';
import { eraseFromEventStream, type StoreErasure } from '../store/erasure.js';
import type { StoreScope } from '../store/event-store.js';
import { observeOutbox } from '../store/outbox-metrics.js';
import { startOutboxRelay } from '../store/outbox-relay.js';
import type { RunningService, ServiceRuntime } from './run-service.js';

export interface WritingService extends RunningService {
  store: Store;
  scope: StoreScope;
  settings: SettingsReader;
  /** Register handlers, then `listen()`. `ping` is already answered (bus and store). */
  server: CommandServer;
  client: CommandClient;
  /** Asks the extension hooks (`hk.hook.*`) under their live timeout and fail settings. */
  hooks: HookCaller;
  /**
   * Once a user's erasure from this store committed (`eraseFromEventStore`), erases what this
   * service published about them from the event stream; answers how many messages it erased.
   */
  eraseFromStream(userId: number, erasure: StoreErasure): Promise<number>;
}

export interface WritingServiceOptions {
  entities?: EntitySchema[];
  migrations: MigrationObject[];
  poolSize?: number;
}

/**
 * The command server of a service with a store: `ping` answered (bus and store), and commands sent
 * with a key run once, taken over at once by a repeat when the process running them dies.
 */
export function storeCommandServer(
  { config, nc, logger }: ServiceRuntime,
  service: CommandService,
  store: Store,
  liveness = processLiveness(nc, config.names, service),
): CommandServer {
  return createCommandServer(nc, config.names, service, logger, commandReplies(store.db, liveness)).on(ping(service), async () => {
    await store.db.execute('select 1');
    return { service, store: true };
  });
}

/**
 * The parts every event-sourced service runs: its own store with migrations applied, the event
 * stream, live settings, the outbox relay and a command server. Closing stops them in reverse.
 */
export async function openWritingService(
  rt: ServiceRuntime,
  service: CommandService,
  opts: WritingServiceOptions,
): Promise<WritingService> {
  const { config, nc, logger } = rt;
  const database = config.names.database(service);
  const store = await openStore({
    serverUrl: config.databaseUrl,
    database,
    entities: opts.entities ?? [],
    migrations: opts.migrations,
    logger,
    poolSize: opts.poolSize,
  });
  await ensureEventStream(nc, config.names, config.streamReplicas);
  const settings = await watchSettings(nc, config, logger);
  const unobserve = observeOutbox(store.db);
  const relay = startOutboxRelay({ nc, databaseUrl: databaseUrl(config.databaseUrl, database), logger });
  const server = storeCommandServer(rt, service, store);
  return {
    store,
    scope: { service, names: config.names },
    settings,
    server,
    client: createCommandClient(nc, config.names),
    hooks: createHookCaller(nc, config.names, settings, logger),
    eraseFromStream: (userId, erasure) => eraseFromEventStream(nc, store.db, config.names, service, userId, erasure),
    async close() {
      await server.close();
      await relay.stop();
      unobserve();
      await settings.stop();
      await store.close();
    },
  };
}
