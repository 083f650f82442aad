import type { Settings } from '@headlesskey/contracts';
import { Kvm } from '@nats-io/kv';
import { connect } from '@nats-io/transport-node';
import pg from 'pg';
import { backendUrls } from './instance.js';
import type { TestSystem } from './system.js';

/**
 * Puts live settings into the instance's KV bucket, as an administrator's PATCH would. Services
 * pick them up from their watch a moment later: a test polls for the effect, never sleeps.
 */
export async function putSettings(system: TestSystem, values: Partial<Settings>): Promise<void> {
  const nc = await connect({ servers: backendUrls().natsUrl });
  try {
    const kv = await new Kvm(nc).open(system.names.settingsBucket);
    for (const [name, value] of Object.entries(values)) await kv.put(name, JSON.stringify(value));
  } finally {
    await nc.close();
  }
}

/** A client of one service's own database, for reading what it recorded (events, counters). */
export async function serviceDb(system: TestSystem, service: 'identity' | 'tokens'): Promise<pg.Client> {
  const url = new URL(backendUrls().databaseUrl);
  url.pathname = `/${system.names.database(service)}`;
  const client = new pg.Client({ connectionString: url.toString() });
  await client.connect();
  return client;
}
