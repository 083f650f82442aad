import { randomUUID } from 'node:crypto';
import { jetstream } from '@nats-io/jetstream';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { backendUrls } from './support/instance.js';
import { startTestSystem, type TestSystem } from './support/system.js';
import { eventually, PASSWORD, registerAndLogin } from './support/users.js';

/**
 * Identity ends a user's sessions with a direct command before answering a password change; the
 * tokens service also consumes the event, so the sessions end even when that command was lost.
 */
describe('password events end older sessions', () => {
  let system: TestSystem;
  let nc: NatsConnection;

  beforeAll(async () => {
    system = await startTestSystem();
    nc = await connect({ servers: backendUrls().natsUrl });
  });
  afterAll(async () => {
    await nc?.close();
    await system?.stop();
  });

  const validate = async (token: string) => (await system.post('/token/validate', { token })).status;

  /** The event identity raises, published as its outbox relay would. */
  async function publishPasswordEvent(type: 'password.changed' | 'password.reset', userId: number, occurredAt: Date) {
    const id = randomUUID();
    const event = {
      id,
      type,
      stream: `credential-${userId}`,
      version: 1,
      occurredAt: occurredAt.toISOString(),
      data: { user_id: userId },
      meta: {},
    };
    await jetstream(nc).publish(system.names.event('identity', type), JSON.stringify(event), { msgID: id });
  }

  it('ends every session opened before the change, and none opened after it', async () => {
    const user = await registerAndLogin(system, { 'x-device-id': 'laptop' });
    const changedAt = new Date();
    await eventually(async () => (Date.now() > changedAt.getTime() + 20 ? true : undefined), 1000, 'the clock to move on');
    const later = await system.post<{ token: string }>('/token', { username: user.username, password: PASSWORD, device: 'phone' });
    expect(await validate(user.token)).toBe(200);

    await publishPasswordEvent('password.changed', user.id, changedAt);
    await eventually(async () => ((await validate(user.token)) === 401 ? true : undefined), 15_000, 'the older session to end');
    expect(await validate(later.body.token)).toBe(200);
  });

  it('does the same for a reset, and ignores a second delivery of the event', async () => {
    const user = await registerAndLogin(system);
    const at = new Date(Date.now() + 1000);
    await publishPasswordEvent('password.reset', user.id, at);
    await publishPasswordEvent('password.reset', user.id, at);
    await eventually(async () => ((await validate(user.token)) === 401 ? true : undefined), 15_000, 'the session to end');
    const revoked = await system.post<{ code: string }>('/token/validate', { token: user.token });
    expect(revoked.body.code).toBe('headlesskey_token_revoked');
  });
});
