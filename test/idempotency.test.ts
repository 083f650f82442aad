import { randomUUID } from 'node:crypto';
import { jetstreamManager } from '@nats-io/jetstream';
import { Kvm } from '@nats-io/kv';
import type { Msg, Subscription } from '@nats-io/transport-node';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startTestSystem, type TestSystem } from './support/system.js';
import { type Bus, type ErrorReply, type Issued, login, openBus, sessions, validate } from './support/tokens.js';
import { eventually, newUser } from './support/users.js';

/** The gateway's command timeout here: the refresh below is made to answer after it. */
const TIMEOUT_MS = 1000;

/**
 * `Idempotency-Key` on the writes (docs/api.md, Conventions): a retry with the key gets the first
 * answer, byte for byte, and the write is done once — also when the first answer was a 503 sent
 * before the service finished.
 */
describe('Idempotency-Key', () => {
  let system: TestSystem;
  let bus: Bus;
  const subs: Subscription[] = [];

  beforeAll(async () => {
    system = await startTestSystem({ env: { HEADLESSKEY_COMMAND_TIMEOUT_MS: String(TIMEOUT_MS) } });
    bus = await openBus(system);
  });
  afterEach(async () => {
    for (const sub of subs.splice(0)) sub.unsubscribe();
    await bus.setSetting('hooks', {});
  });
  afterAll(async () => {
    await bus?.close();
    await system?.stop();
  });

  /** A POST with the key, its body's bytes kept as they came. */
  async function post(path: string, body: unknown, key: string, headers: Record<string, string> = {}) {
    const res = await fetch(`${system.apiUrl}${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'idempotency-key': key, ...headers },
      body: JSON.stringify(body),
    });
    return { status: res.status, replayed: res.headers.get('idempotent-replayed'), text: await res.text() };
  }
  const json = <T = Issued & ErrorReply>(reply: { text: string }) => JSON.parse(reply.text) as T;

  /** Answers a hook after `delayMs`, with what `answer` gives for its request. */
  async function slowHook(
    name: 'token.claims' | 'register.validate',
    delayMs: (request: Record<string, unknown>) => number,
    answer: unknown,
  ) {
    const seen: Record<string, unknown>[] = [];
    const sub = bus.nc.subscribe(system.names.hook(name), {
      callback: (_err, msg: Msg) => {
        const request = JSON.parse(new TextDecoder().decode(msg.data)) as Record<string, unknown>;
        seen.push(request);
        setTimeout(() => msg.respond(JSON.stringify(answer)), delayMs(request));
      },
    });
    subs.push(sub);
    await bus.nc.flush();
    return seen;
  }

  /**
   * Makes `token.claims` fail closed after `timeoutMs`, and waits until the tokens service applies
   * it: a hook answering what is not JSON fails a probe's login only then (open, it is skipped).
   */
  async function failClosed(timeoutMs: number) {
    // Registering answers a token too: the probe is registered before the hook fails.
    const probe = newUser('probe');
    expect((await system.post('/register', probe)).status).toBe(201);
    await bus.setSetting('hooks', { 'token.claims': { timeout_ms: timeoutMs, fail: 'closed' } });
    subs.push(bus.nc.subscribe(system.names.hook('token.claims'), { callback: (_err, msg: Msg) => msg.respond('not json') }));
    await bus.nc.flush();
    await eventually(async () => ((await login(system, probe)).status === 503 ? true : undefined), 10_000, 'token.claims failing closed');
  }

  const registeredEvents = (username: string) => bus.events.filter((e) => e.type === 'user.registered' && e.data.user_login === username);

  it('a registration sent twice with one key creates one account and answers the same bytes twice', async () => {
    const user = newUser('idem');
    const key = randomUUID();
    const first = await post('/register', user, key);
    const again = await post('/register', user, key);
    expect(first.status).toBe(201);
    expect(again).toEqual({ status: 201, replayed: 'true', text: first.text });
    expect(first.replayed).toBeNull();
    // Without the key it is a second registration, refused: the account exists once.
    expect((await system.post<ErrorReply>('/register', user)).body.code).toBe('headlesskey_user_exists');
    await bus.waitForEvent('user.registered', (e) => e.data.user_login === user.username);
    expect(registeredEvents(user.username)).toHaveLength(1);
  });

  it('the same key with another body is refused with 422, and does nothing', async () => {
    const key = randomUUID();
    expect((await post('/register', newUser('idem'), key)).status).toBe(201);
    const other = newUser('idem');
    const refused = await post('/register', other, key);
    expect(refused.status).toBe(422);
    expect(json(refused)).toEqual({
      code: 'headlesskey_idempotency_key_reused',
      message: 'This Idempotency-Key was already used with a different request.',
      data: { status: 422 },
    });
    expect((await system.post('/register', other)).status).toBe(201);
  });

  it('a key is 1 to 255 visible characters', async () => {
    const refused = await post('/register', newUser('idem'), 'x'.repeat(256));
    expect(refused.status).toBe(400);
    expect(json(refused).code).toBe('rest_invalid_param');
  });

  it('two requests with one key at once: one runs, the other is told it is in flight or gets its answer', async () => {
    await bus.setSetting('hooks', { 'register.validate': { timeout_ms: 3000, fail: 'closed' } });
    await slowHook('register.validate', () => 400, { allow: true });
    const user = newUser('idem');
    const key = randomUUID();
    const [a, b] = await Promise.all([post('/register', user, key), post('/register', user, key)]);
    const statuses = [a.status, b.status].sort();
    expect(statuses).toEqual([201, 409]);
    const inFlight = a.status === 409 ? a : b;
    expect(json(inFlight).code).toBe('headlesskey_idempotency_key_in_flight');
    const done = a.status === 201 ? a : b;
    expect(await post('/register', user, key)).toEqual({ status: 201, replayed: 'true', text: done.text });
    await bus.waitForEvent('user.registered', (e) => e.data.user_login === user.username);
    expect(registeredEvents(user.username)).toHaveLength(1);
  });

  it('a login retried with its key gets the same token, and opens one session', async () => {
    const user = newUser('idem');
    expect((await system.post('/register', user)).status).toBe(201);
    const key = randomUUID();
    const credentials = { username: user.username, password: user.password };
    const first = await post('/token', credentials, key);
    expect(first.status).toBe(200);
    const { token } = json(first);
    const before = (await sessions(system, token)).body.sessions;
    const again = await post('/token', credentials, key);
    expect(again).toEqual({ status: 200, replayed: 'true', text: first.text });
    expect((await validate(system, token)).status).toBe(200);
    expect((await sessions(system, token)).body.sessions).toEqual(before);
  });

  it('a refresh answered 503 after it committed: the retry with its key gets the committed token, which validates', async () => {
    const user = newUser('idem');
    expect((await system.post('/register', user)).status).toBe(201);
    const parent = (await login(system, user)).body.token;
    // The hook answers a refresh after the gateway stopped waiting; the tokens service then commits.
    await failClosed(5000);
    for (const sub of subs.splice(0)) sub.unsubscribe();
    const asked = await slowHook('token.claims', (request) => (request.grant === 'refresh' ? 2 * TIMEOUT_MS : 0), { claims: {} });
    const key = randomUUID();
    const first = await post('/token/refresh', { token: parent }, key);
    expect(first.status).toBe(503);
    expect(json(first).code).toBe('headlesskey_unavailable');
    const retried = await eventually(async () => {
      const reply = await post('/token/refresh', { token: parent }, key);
      return reply.status === 503 ? undefined : reply;
    }, 15_000);
    expect(retried.status).toBe(200);
    const { token } = json(retried);
    expect((await validate(system, token)).status).toBe(200);
    expect((await validate(system, parent)).status).toBe(401);
    // The hook was asked for one refresh: the retries never ran it again.
    expect(asked.filter((request) => request.grant === 'refresh')).toHaveLength(1);
    expect(await post('/token/refresh', { token: parent }, key)).toMatchObject({ status: 200, text: retried.text });
  }, 30_000);

  it('a registration whose token could not be issued, retried with its key: the same account, logged in', async () => {
    const user = newUser('idem');
    const key = randomUUID();
    await failClosed(1000);
    // The account is created, then its session cannot be issued: 503.
    const failed = await post('/register', user, key);
    expect(failed.status).toBe(503);
    await bus.waitForEvent('user.registered', (e) => e.data.user_login === user.username);
    for (const sub of subs.splice(0)) sub.unsubscribe();
    await bus.setSetting('hooks', {});
    const retried = await eventually(async () => {
      const reply = await post('/register', user, key);
      return reply.status === 503 ? undefined : reply;
    });
    expect(retried.status).toBe(201);
    const body = json<{ user_id: number; token_response: { token: string } }>(retried);
    expect(body.user_id).toBe(registeredEvents(user.username)[0]?.data.user_id);
    expect((await validate(system, body.token_response.token)).status).toBe(200);
    expect(registeredEvents(user.username)).toHaveLength(1);
  });

  it('a login whose token could not be issued records no auth.login.succeeded', async () => {
    const user = newUser('idem');
    const registered = await system.post<{ user_id: number }>('/register', user);
    expect(registered.status).toBe(201);
    const id = registered.body.user_id;
    // The token.claims hook fails closed and answers nonsense: the tokens service issues nothing.
    await failClosed(1000);
    expect((await login(system, user)).status).toBe(503);
    // A failed login after it: the events of the account's sign-ins come in order, so any success
    // recorded before it would be here by then.
    expect((await login(system, { username: user.username, password: 'wrong horse battery staple' })).status).toBe(403);
    await bus.waitForEvent('auth.login.failed', (e) => e.data.user_id === id);
    expect(bus.events.filter((e) => e.type === 'auth.login.succeeded' && e.data.user_id === id)).toEqual([]);
    for (const sub of subs.splice(0)) sub.unsubscribe();
    await bus.setSetting('hooks', {});
    await eventually(async () => ((await login(system, user)).status === 200 ? true : undefined));
    await bus.waitForEvent('auth.login.succeeded', (e) => e.data.user_id === id);
  });

  it('with the idempotency bucket gone, a keyed write still runs once: the services keep the key', async () => {
    // What a NATS node's loss does to a replicated bucket for a few seconds while its stream elects
    // a leader, here for as long as the test needs: the gateway cannot reach the bucket at all.
    const jsm = await jetstreamManager(bus.nc);
    await jsm.streams.delete(`KV_${system.names.idempotencyBucket}`);
    try {
      const user = newUser('idem');
      const key = randomUUID();
      const first = await post('/register', user, key);
      const again = await post('/register', user, key);
      expect(first.status).toBe(201);
      // Not a replay by the gateway, but the same outcome from the services: the same account and token.
      expect(again).toEqual({ status: 201, replayed: null, text: first.text });
      await bus.waitForEvent('user.registered', (e) => e.data.user_login === user.username);
      expect(registeredEvents(user.username)).toHaveLength(1);
    } finally {
      // Back for whatever runs after: the gateway's handle names the bucket, not the stream it had.
      await new Kvm(bus.nc).create(system.names.idempotencyBucket, { history: 1 });
    }
  });
});
