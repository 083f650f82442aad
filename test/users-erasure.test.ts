import { randomBytes } from 'node:crypto';
import type { EventEnvelope } from '@headlesskey/contracts';
import { jetstream, jetstreamManager } from '@nats-io/jetstream';
import type { NatsConnection } from '@nats-io/transport-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN, ADMIN_ENV, adminToken, call, createEndpoint, rawBus, serviceDb, type WpError } from './support/admin-api.js';
import { rebuildActivityLog } from './support/audit-cli.js';
import { startTestSystem, type TestSystem } from './support/system.js';
import { type Issued, refresh, validate } from './support/tokens.js';
import { eventually, PASSWORD } from './support/users.js';
import { type Receiver, startReceiver } from './support/webhook-receiver.js';

const SERVICES = ['identity', 'tokens', 'audit', 'webhooks'] as const;

/** A person with everything that can identify them unique to this test: login, email, name, address, agent, device. */
function person() {
  const tag = randomBytes(4).toString('hex');
  const octet = 1 + ((randomBytes(1)[0] as number) % 250);
  return {
    username: `erasable_${tag}`,
    email: `erasable.${tag}@example.com`,
    name: `Erasable Person ${tag}`,
    password: PASSWORD,
    ip: `203.0.113.${octet}`,
    agent: `ErasureTest/${tag}`,
    device: `erasable-phone-${tag}`,
  };
}
type Person = ReturnType<typeof person>;
const tracesOf = (p: Person) => [p.username, p.email, p.name, p.ip, p.agent, p.device];

/**
 * Deleting an account (README, Erasure): the login and email are free again, and the person's
 * login, email, name, address, agent and device are found nowhere — not in any table of any
 * service, not in the event stream's messages, not after the activity log is rebuilt.
 */
describe('deleting a user erases them', () => {
  let system: TestSystem;
  let admin: string;
  let nc: NatsConnection;
  let receiver: Receiver;

  beforeAll(async () => {
    system = await startTestSystem({
      env: {
        ...ADMIN_ENV,
        HEADLESSKEY_TRUSTED_PROXIES: '127.0.0.1',
        HEADLESSKEY_OUTBOUND_ALLOW_PRIVATE: 'true',
        HEADLESSKEY_WEBHOOK_POLL_MS: '50',
      },
    });
    admin = await adminToken(system);
    nc = await rawBus();
    receiver = await startReceiver();
    await createEndpoint(system, admin, receiver.url);
  });
  afterAll(async () => {
    await Promise.allSettled([nc?.close(), receiver?.close()]);
    await system?.stop();
  });

  const from = (p: Person) => ({ 'x-forwarded-for': p.ip, 'user-agent': p.agent });

  /** A person who registered, logged in on a named device, refreshed, asked for a reset and was given a role. */
  async function activePerson(): Promise<Person & { id: number; token: string }> {
    const p = person();
    const registered = await system.post<{ user_id: number }>(
      '/register',
      { username: p.username, email: p.email, password: p.password, name: p.name },
      from(p),
    );
    expect(registered.status).toBe(201);
    const id = registered.body.user_id;
    const login = await system.post<Issued>('/token', { username: p.email, password: p.password, device: p.device }, from(p));
    expect(login.status).toBe(200);
    const refreshed = await system.post<Issued>('/token/refresh', { token: login.body.token }, from(p));
    expect((await system.post('/forgot-password', { login: p.username, delivery: 'otp' }, from(p))).status).toBe(200);
    expect((await call(system, admin, 'PATCH', `/users/${id}`, { roles: ['author'] })).status).toBe(200);
    // Everything has reached the activity log and the webhook receiver before the deletion.
    await eventually(async () => {
      const log = await call<{ entries: unknown[] }>(system, admin, 'GET', `/logs?user=${id}&event=user.roles_changed`);
      return log.body.entries.length > 0 &&
        receiver.received.some((r) => r.body.includes('user.roles_changed') && r.body.includes(`"user_id":${id}`))
        ? true
        : undefined;
    }, 15_000);
    return { ...p, id, token: refreshed.body.token };
  }

  /** Where any of the person's traces is still found: `table: trace`, or `stream #seq: trace`. */
  async function foundTraces(p: Person): Promise<string[]> {
    const found: string[] = [];
    for (const service of SERVICES) {
      const db = await serviceDb(system, service);
      try {
        const tables = await db.query<{ name: string }>(
          "select table_name as name from information_schema.tables where table_schema = 'public' and table_type = 'BASE TABLE'",
        );
        for (const { name } of tables.rows) {
          const rows = await db.query<{ row: string }>(`select row_to_json(t)::text as row from "${name}" t`);
          for (const { row } of rows.rows)
            for (const trace of tracesOf(p)) if (row.includes(trace)) found.push(`${service}.${name}: ${trace}`);
        }
      } finally {
        await db.end();
      }
    }
    for (const { seq, text } of await streamMessages()) {
      for (const trace of tracesOf(p)) if (text.includes(trace)) found.push(`stream #${seq}: ${trace}`);
    }
    return found;
  }

  /**
   * The traces left once the deletion has gone everywhere: the audit and webhooks services erase
   * theirs when `user.deleted` reaches them. Whatever is still found after 20 s is answered.
   */
  const tracesOnceSettled = (p: Person) =>
    eventually(async () => ((await foundTraces(p)).length === 0 ? [] : undefined), 20_000, 'no trace of the deleted user').catch(() =>
      foundTraces(p),
    );

  /** Every message of the instance's event stream, as raw text. */
  async function streamMessages(): Promise<{ seq: number; text: string }[]> {
    if ((await (await jetstreamManager(nc)).streams.info(system.names.eventStream)).state.messages === 0) return [];
    const consumer = await jetstream(nc).consumers.get(system.names.eventStream);
    const out: { seq: number; text: string }[] = [];
    const messages = await consumer.consume();
    for await (const msg of messages) {
      out.push({ seq: msg.seq, text: msg.string() });
      if (msg.info.pending === 0) break;
    }
    await messages.close();
    return out;
  }

  it('DELETE /users/{id}: sessions end, login and email are free, and no trace is left in any store, the stream or a rebuilt log', async () => {
    const p = await activePerson();
    const other = await activePerson();
    expect(await foundTraces(p)).not.toEqual([]);

    const deleted = await call<{ deleted: boolean }>(system, admin, 'DELETE', `/users/${p.id}`);
    expect(deleted.body).toEqual({ deleted: true });
    expect((await validate(system, p.token)).status).toBe(401);
    expect((await call(system, admin, 'GET', `/users/${p.id}`)).status).toBe(404);

    expect(await tracesOnceSettled(p)).toEqual([]);

    const rebuilt = await rebuildActivityLog(system);
    expect(rebuilt.code, rebuilt.stderr).toBe(0);
    expect(await foundTraces(p)).toEqual([]);
    // The other person is untouched: their history is all there.
    expect(await foundTraces(other)).toEqual(expect.arrayContaining([expect.stringContaining(other.username)]));
    expect((await refresh(system, other.token)).status).toBe(200);

    const stream = await streamMessages();
    const deletion = stream
      .map((m) => JSON.parse(m.text) as EventEnvelope)
      .find((e) => e.type === 'user.deleted' && e.data.user_id === p.id);
    // Who deleted is kept by id: every field of the events about the deleted user that names a person is erased.
    expect(deletion?.data).toMatchObject({ user_id: p.id, by: { user_id: expect.any(Number) } });

    // Asked for by name now, the account is unknown; typing a name records it anew (counted as an unknown login).
    expect((await system.post('/token', { username: p.username, password: p.password })).status).toBe(403);
    const again = await system.post('/register', { username: p.username, email: p.email, password: p.password });
    expect(again.status).toBe(201);
  });

  it('DELETE /me asks for the password again: a wrong one changes nothing, the right one deletes', async () => {
    const p = await activePerson();
    const wrong = await call<WpError>(system, p.token, 'DELETE', '/me', { password: 'wrong horse battery staple' });
    expect(wrong.status).toBe(403);
    expect(wrong.body.code).toBe('headlesskey_incorrect_password');
    expect((await validate(system, p.token)).status).toBe(200);
    const missing = await call<WpError>(system, p.token, 'DELETE', '/me', {});
    expect(missing.status).toBe(400);

    expect((await call(system, p.token, 'DELETE', '/me', { password: p.password })).body).toEqual({ deleted: true });
    expect((await validate(system, p.token)).status).toBe(401);
    expect(await tracesOnceSettled(p)).toEqual([]);
  });

  it('the last active administrator cannot be deleted', async () => {
    const me = await call<{ users: { ID: number; user_login: string }[] }>(system, admin, 'GET', `/users?search=${ADMIN.username}`);
    const id = me.body.users.find((u) => u.user_login === ADMIN.username)?.ID;
    const refused = await call<WpError>(system, admin, 'DELETE', `/users/${id}`);
    expect(refused.status).toBe(409);
    expect(refused.body.code).toBe('headlesskey_last_administrator');
    expect((await call(system, admin, 'GET', `/users/${id}`)).status).toBe(200);
  });
});
