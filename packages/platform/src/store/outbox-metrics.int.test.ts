import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { backendUrls, dropInstance, uniqueInstance } from '../../../../test/support/instance.js';
import { recordMetrics, sampleValue } from '../../../../test/support/prometheus.js';
import { createLogger } from '../logging/logger.js';
import { openStore, type Store } from './database.js';
import { recordEvents } from './event-store.js';
import { observeOutbox } from './outbox-metrics.js';

const collect = recordMetrics();
const names = uniqueInstance();
let store: Store;

beforeAll(async () => {
  const logger = createLogger('test', 'silent');
  store = await openStore({
    serverUrl: backendUrls().databaseUrl,
    database: names.database('tokens'),
    entities: [],
    migrations: [],
    logger,
  });
});

afterAll(async () => {
  await store?.close();
  await dropInstance(names);
});

describe('the outbox metrics', () => {
  it('show what waits for the relay and how long the oldest has, read from the table', async () => {
    const stop = observeOutbox(store.db);
    let samples = await collect();
    expect(sampleValue(samples, 'headlesskey_outbox_backlog')).toBe(0);
    expect(sampleValue(samples, 'headlesskey_outbox_lag')).toBe(0);

    // No relay runs: the events stay in the outbox.
    const scope = { service: 'tokens' as const, names };
    await recordEvents(store, scope, 'session-1', [{ type: 'token.issued', data: {} }], {});
    await recordEvents(store, scope, 'session-2', [{ type: 'token.issued', data: {} }], {});
    samples = await collect();
    expect(sampleValue(samples, 'headlesskey_outbox_backlog')).toBe(2);
    expect(sampleValue(samples, 'headlesskey_outbox_lag')).toBeGreaterThan(0);
    stop();
  });
});
