import { jetstreamManager } from '@nats-io/jetstream';
import { Kvm } from '@nats-io/kv';
import { connect } from '@nats-io/transport-node';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { admin } from './support/admin-cli.js';
import { backendUrls } from './support/instance.js';
import { startTestSystem, type TestSystem } from './support/system.js';
import { registerAndLogin } from './support/users.js';

/** What of the instance is left on the servers. */
async function leftOf(system: TestSystem) {
  const { databaseUrl, natsUrl } = backendUrls();
  const db = new pg.Client({ connectionString: databaseUrl });
  await db.connect();
  const { rows } = await db.query<{ datname: string }>('select datname from pg_database where datname like $1 order by datname', [
    `${system.instance}\\_%`,
  ]);
  await db.end();
  const nc = await connect({ servers: natsUrl });
  const jsm = await jetstreamManager(nc);
  const stream = await jsm.streams.info(system.names.eventStream).then(
    () => true,
    () => false,
  );
  const buckets: string[] = [];
  for (const bucket of system.names.buckets) {
    if (
      await new Kvm(nc)
        .open(bucket)
        .then((kv) => kv.status())
        .then(
          () => true,
          () => false,
        )
    )
      buckets.push(bucket);
  }
  await nc.close();
  return { databases: rows.map((r) => r.datname), stream, buckets };
}

describe('npm run admin -- drop-instance', () => {
  let system: TestSystem;

  beforeAll(async () => {
    system = await startTestSystem();
    await registerAndLogin(system);
    // Stopped, as an operator stops an instance before removing it; its data stays until the command.
    for (const service of ['gateway', 'identity', 'tokens', 'audit', 'webhooks'] as const) await system.kill(service);
  });
  afterAll(() => system?.stop());

  it('without --yes lists what it would remove, refuses, and removes nothing', async () => {
    const before = await leftOf(system);
    expect(before.databases).toEqual([...system.names.databases].sort());
    expect(before.stream).toBe(true);

    const reply = await admin(['drop-instance', system.instance]);
    expect(reply.code).toBe(1);
    for (const database of system.names.databases) expect(reply.stdout).toContain(`database ${database}\n`);
    expect(reply.stdout).toContain(`stream ${system.names.eventStream}\n`);
    expect(reply.stdout).toContain(`consumer ${system.names.consumer('audit')}\n`);
    expect(reply.stdout).toContain(`KV bucket ${system.names.settingsBucket}\n`);
    expect(reply.stderr).toContain('--yes');
    expect(await leftOf(system)).toEqual(before);
  });

  it('with --yes removes the databases, the stream with its consumers and the KV buckets', async () => {
    const reply = await admin(['drop-instance', system.instance, '--yes']);
    expect(reply).toMatchObject({ code: 0, stderr: '' });
    expect(reply.stdout).toContain(`instance ${system.instance}: removed`);
    expect(await leftOf(system)).toEqual({ databases: [], stream: false, buckets: [] });
    expect((await admin(['drop-instance', system.instance])).stdout).toBe(`instance ${system.instance}: nothing to remove\n`);
  });

  it('refuses a name that is no instance name, and an unknown command, with its usage', async () => {
    expect(await admin(['drop-instance', 'HK; drop'])).toMatchObject({ code: 2, stdout: '' });
    expect((await admin(['drop-instance'])).stderr).toContain('usage: npm run admin -- drop-instance NAME [--yes]');
    expect((await admin(['drop-everything'])).code).toBe(2);
  });
});
