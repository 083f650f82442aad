import { freePort, type RunningSystem, startSystem } from '@headlesskey/local';
import { jetstreamManager } from '@nats-io/jetstream';
import { connect } from '@nats-io/transport-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { backendUrls, dropInstance, uniqueInstance } from './support/instance.js';
import { type NatsCluster, startNatsCluster } from './support/nats-cluster.js';
import { eventually, newUser, PASSWORD } from './support/users.js';

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
