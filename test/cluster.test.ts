import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { freePort, type RunningSystem, startSystem } from '@headlesskey/local';
import { jetstreamManager } from '@nats-io/jetstream';
import { Kvm } from '@nats-io/kv';
import { connect } from '@nats-io/transport-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { backendUrls, dropInstance, uniqueInstance } from './support/instance.js';
import { type NatsCluster, startNatsCluster } from './support/nats-cluster.js';
import { eventually, newUser, PASSWORD } from './support/users.js';

const AUDIT_CLI = fileURLToPath(new URL('../services/audit/dist/cli.js', import.meta.url));

/** Production's shape: NATS as a 3-node JetStream cluster, the event stream replicated on all three. */
describe('on a 3-node NATS cluster', () => {
  const names = uniqueInstance();
  let cluster: NatsCluster;
  let system: RunningSystem;

  beforeAll(async () => {
    cluster = await startNatsCluster();
    system = await startSystem({
      instance: names.instance,
      port: await freePort(),
      natsUrl: cluster.url,
      databaseUrl: backendUrls().databaseUrl,
      env: { HEADLESSKEY_BCRYPT_COST: '4', HEADLESSKEY_STREAM_REPLICAS: '3' },
      readyTimeoutMs: 90_000,
    });
  }, 150_000);

  afterAll(async () => {
    await system?.stop();
    await cluster?.stop();
    // The stream and bucket went with the cluster; the databases are on the shared server.
    await dropInstance(names).catch(() => undefined);
  });

  const post = (path: string, body: unknown) =>
    fetch(`${system.apiUrl}${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });

  // Before the next test takes a node down: a bucket of three replicas needs all three to be made.
  it('gives the settings bucket the configured replicas when the audit CLI is the first to open it', async () => {
    const fresh = uniqueInstance();
    const env = {
      ...process.env,
      HEADLESSKEY_INSTANCE: fresh.instance,
      NATS_URL: cluster.url,
      DATABASE_URL: backendUrls().databaseUrl,
      HEADLESSKEY_STREAM_REPLICAS: '3',
      LOG_LEVEL: 'silent',
    };
    // Whether the rebuild itself succeeds (there is no event stream yet) is not the point here.
    await new Promise((done) => execFile(process.execPath, [AUDIT_CLI, 'rebuild'], { env }, done));
    const nc = await connect({ servers: cluster.url.split(',') });
    try {
      const status = await (await new Kvm(nc).open(fresh.settingsBucket)).status();
      expect(status.replicas).toBe(3);
    } finally {
      await nc.close();
      await dropInstance(fresh).catch(() => undefined);
    }
  });

  it('replicates the event stream and keeps logging in after a node dies', async () => {
    const nc = await connect({ servers: cluster.url.split(',') });
    try {
      const info = await (await jetstreamManager(nc)).streams.info(names.eventStream);
      expect(info.config.num_replicas).toBe(3);
    } finally {
      await nc.close();
    }
    const user = newUser();
    expect((await post('/register', user)).status).toBe(201);

    cluster.kill(0);
    const login = await eventually(
      async () => {
        const res = await post('/token', { username: user.username, password: PASSWORD });
        return res.status === 200 ? ((await res.json()) as { token: string }) : undefined;
      },
      30_000,
      'a login with one node down',
    );
    const valid = await post('/token/validate', { token: login.token });
    expect(valid.status).toBe(200);
  });
});
