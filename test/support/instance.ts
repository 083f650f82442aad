import { randomBytes } from 'node:crypto';
import { type Names, names, type ServiceName } from '@headlesskey/contracts';
import { jetstreamManager } from '@nats-io/jetstream';
import { Kvm } from '@nats-io/kv';
import { connect } from '@nats-io/transport-node';
import pg from 'pg';

const WRITING_SERVICES: ServiceName[] = ['identity', 'tokens', 'audit', 'webhooks'];

/** A fresh instance name per test file, so runs never see each other's data. */
export function uniqueInstance(prefix = 't'): Names {
  return names(`${prefix}${randomBytes(5).toString('hex')}`);
}

export function backendUrls(): { databaseUrl: string; natsUrl: string } {
  const databaseUrl = process.env.DATABASE_URL;
  const natsUrl = process.env.NATS_URL;
  if (!databaseUrl || !natsUrl) throw new Error('global setup did not resolve DATABASE_URL and NATS_URL');
  return { databaseUrl, natsUrl };
}

/** Drops everything an instance created: its databases, stream and KV buckets. */
export async function dropInstance(n: Names, databaseUrl = backendUrls().databaseUrl): Promise<void> {
  const { natsUrl } = backendUrls();
  const db = new pg.Client({ connectionString: databaseUrl });
  await db.connect();
  try {
    for (const service of WRITING_SERVICES) {
      await db.query(`drop database if exists "${n.database(service)}" with (force)`);
    }
  } finally {
    await db.end();
  }
  const nc = await connect({ servers: natsUrl });
  try {
    const jsm = await jetstreamManager(nc);
    await jsm.streams.delete(n.eventStream).catch(() => false);
    for (const bucket of [n.settingsBucket, n.rateLimitBucket, n.idempotencyBucket]) {
      await new Kvm(nc)
        .open(bucket)
        .then((kv) => kv.destroy())
        .catch(() => false);
    }
  } finally {
    await nc.close();
  }
}
