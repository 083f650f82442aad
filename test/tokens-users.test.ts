import { randomUUID } from 'node:crypto';
import { jetstream } from '@nats-io/jetstream';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { backendUrls } from './support/instance.js';
import { startTestSystem, type TestSystem } from './support/system.js';
import { type ErrorReply, type Issued, refresh, validate } from './support/tokens.js';
import { eventually, newUser } from './support/users.js';

interface Profile {
  ID: number;
  user_login: string;
  user_email: string;
  display_name: string;
  roles: string[];
}

/**
 * A refresh signs from the tokens service's own projection of identity's user events: it keeps
 * working while identity is down, and asks identity only for a user not projected yet.
 */
describe('the users a refresh signs for', () => {
  let system: TestSystem;
  let tokensDb: pg.Client;
  let nc: NatsConnection;

  beforeAll(async () => {
    system = await startTestSystem();
    const { databaseUrl, natsUrl } = backendUrls();
    const url = Object.assign(new URL(databaseUrl), { pathname: `/${system.names.database('tokens')}` }).toString();
    tokensDb = new pg.Client({ connectionString: url });
    await tokensDb.connect();
    nc = await connect({ servers: natsUrl });
  });
  afterAll(async () => {
    await Promise.allSettled([tokensDb?.end(), nc?.close()]);
    await system?.stop();
  });

  const projected = async (id: number) =>
    (await tokensDb.query<{ profile: Profile; version: number }>('select profile, version from users where id = $1', [id])).rows[0];

  /** A registered user (registration opens a session) once the tokens service has projected it. */
  async function registered() {
    const user = newUser('proj');
    const reply = await system.post<{ user_id: number; token_response: Issued }>('/register', user);
    expect(reply.status).toBe(201);
    const id = reply.body.user_id;
    await eventually(async () => (await projected(id)) ?? undefined, 10_000, 'the user in the projection');
    return { ...user, id, token: reply.body.token_response.token };
  }

  /** A user event as identity's outbox relay would publish it. */
  async function publishUserEvent(version: number, data: Record<string, unknown>, type = 'user.registered') {
    const id = randomUUID();
    const event = {
      id,
      type,
      stream: `user-${data.user_id}`,
      version,
      occurredAt: new Date().toISOString(),
      data,
      meta: {},
    };
    await jetstream(nc).publish(system.names.event('identity', type), JSON.stringify(event), { msgID: id });
  }

  it('projects what identity registered, with the roles', async () => {
    const user = await registered();
    expect(await projected(user.id)).toEqual({
      version: 1,
      profile: { ID: user.id, user_login: user.username, user_email: user.email, display_name: expect.any(String), roles: ['subscriber'] },
    });
  });

  it('refreshes while identity is down, from the projection', async () => {
    const user = await registered();
    await system.kill('identity', 'SIGKILL');
    try {
      const reply = await refresh(system, user.token);
      expect(reply.status).toBe(200);
      expect(reply.body.user).toMatchObject({ ID: user.id, user_login: user.username, roles: ['subscriber'] });
    } finally {
      await system.restart('identity');
    }
  });

  it('asks identity for a user it has not projected, and answers unavailable when identity cannot say', async () => {
    const user = await registered();
    await tokensDb.query('delete from users where id = $1', [user.id]);
    const asked = await refresh(system, user.token);
    expect(asked.status).toBe(200);
    expect(asked.body.user).toMatchObject({ ID: user.id, user_login: user.username });

    await system.kill('identity', 'SIGKILL');
    try {
      const reply = await refresh(system, asked.body.token);
      expect(reply.status).toBe(503);
      expect((reply.body as ErrorReply).code).toBe('headlesskey_unavailable');
    } finally {
      await system.restart('identity');
    }
  });

  it('keeps the newest profile: a replayed or older event changes nothing', async () => {
    const user = await registered();
    const before = await projected(user.id);
    const profile = { user_id: user.id, user_login: user.username, user_email: user.email, roles: ['subscriber'] };
    await publishUserEvent(1, { ...profile, display_name: 'replayed' });
    await publishUserEvent(2, { ...profile, display_name: 'newer', roles: ['editor'] });
    await eventually(async () => ((await projected(user.id))?.version === 2 ? true : undefined), 10_000, 'the newer event projected');
    expect((await projected(user.id))?.profile).toEqual({ ...before?.profile, display_name: 'newer', roles: ['editor'] });
    await publishUserEvent(1, { ...profile, display_name: 'older' });
    const marker = await registered();
    expect(marker.id).not.toBe(user.id);
    expect((await projected(user.id))?.profile.display_name).toBe('newer');
  });

  it('dead-letters a user event without a profile, and goes on', async () => {
    const dead: string[] = [];
    nc.subscribe(system.names.deadLetter(system.names.consumer('tokens', 'users')), {
      callback: (_err, msg) => dead.push(msg.string()),
    });
    await nc.flush();
    await publishUserEvent(1, { user_id: 999_999, user_login: 'no-profile' });
    await eventually(async () => (dead.length > 0 ? true : undefined), 10_000, 'the dead letter');
    expect(dead[0]).toContain('user.registered without a user profile');
    expect(await projected(999_999)).toBeUndefined();
    await registered();
  });

  it("takes later changes from identity's events when their word was lost: new roles, and a disable that ends the sessions", async () => {
    const user = await registered();
    const by = { user_id: 1, user_login: 'admin' };
    await publishUserEvent(2, { user_id: user.id, roles: ['editor'], previous_roles: ['subscriber'], by }, 'user.roles_changed');
    await eventually(async () => ((await projected(user.id))?.version === 2 ? true : undefined), 10_000, 'the roles projected');
    const refreshed = await refresh(system, user.token);
    expect(refreshed.body.user?.roles).toEqual(['editor']);

    await publishUserEvent(3, { user_id: user.id, by }, 'user.disabled');
    await eventually(
      async () => ((await validate(system, refreshed.body.token)).status === 401 ? true : undefined),
      10_000,
      'the session ended',
    );
    // Identity never heard of it here, so it checks the password and asks for a session: the tokens service refuses it.
    const login = await system.post<ErrorReply>('/token', { username: user.username, password: user.password });
    expect(login.status).toBe(403);
    expect(login.body.code).toBe('headlesskey_invalid_credentials');
  });

  it("erases a user from identity's user.deleted alone, when identity's own word was lost: sessions end, the profile is erased", async () => {
    const user = await registered();
    await publishUserEvent(2, { user_id: user.id }, 'user.deleted');
    await eventually(async () => ((await validate(system, user.token)).status === 401 ? true : undefined), 10_000, 'the session ended');
    expect((await refresh(system, user.token)).status).toBe(401);
    const erased = await projected(user.id);
    expect(JSON.stringify(erased?.profile)).not.toContain(user.username);
    expect(erased?.profile).toMatchObject({ ID: user.id, user_login: '[erased]', user_email: '[erased]' });
  });
});
