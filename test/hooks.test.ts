import type { HookName, HookPolicy } from '@headlesskey/contracts';
import type { Msg, Subscription } from '@nats-io/transport-node';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startTestSystem, type TestSystem } from './support/system.js';
import { type Bus, claimsOf, type ErrorReply, login, openBus, refresh, validate } from './support/tokens.js';
import { eventually, newUser, PASSWORD } from './support/users.js';

type Answer = (request: Record<string, unknown>) => unknown;

/**
 * The filters of DESIGN.md's extension points, answered by a plain NATS client as an integrator's
 * would be: `token.claims`, `register.validate`, `login.allow`, and their timeout and fail settings.
 */
describe('hooks', () => {
  let system: TestSystem;
  let bus: Bus;
  let subs: Subscription[] = [];

  beforeAll(async () => {
    system = await startTestSystem();
    bus = await openBus(system);
  });
  afterEach(async () => {
    for (const sub of subs) sub.unsubscribe();
    subs = [];
    await bus.nc.flush();
  });
  afterAll(async () => {
    await bus?.close();
    await system?.stop();
  });

  /** Subscribes to a hook; `answer` gives the reply, or undefined to stay silent (a hung hook). */
  async function onHook(name: HookName, answer: Answer): Promise<string[]> {
    const seen: string[] = [];
    const sub = bus.nc.subscribe(system.names.hook(name), {
      callback: (_err, msg: Msg) => {
        const text = new TextDecoder().decode(msg.data);
        seen.push(text);
        const reply = answer(JSON.parse(text));
        if (reply !== undefined) msg.respond(JSON.stringify(reply));
      },
    });
    subs.push(sub);
    await bus.nc.flush();
    return seen;
  }

  const register = (user: ReturnType<typeof newUser>) => system.post<{ user_id: number } & ErrorReply>('/register', user);
  async function registered(prefix = 'hook') {
    const user = newUser(prefix);
    const reply = await register(user);
    if (reply.status !== 201) throw new Error(`register answered ${reply.status}: ${JSON.stringify(reply.body)}`);
    return { ...user, id: reply.body.user_id };
  }
  const setHooks = (hooks: Partial<Record<HookName, HookPolicy>>) => bus.setSetting('hooks', hooks);

  it('token.claims: adds its claims to logins and refreshes, and never a reserved one', async () => {
    const user = await registered();
    const seen = await onHook('token.claims', (request) => ({
      claims: {
        tenant: 'acme',
        grant: request.grant,
        iss: 'https://evil.example',
        sub: '1',
        aud: 'evil',
        exp: 4102444800,
        iat: 1,
        nbf: 1,
        jti: 'mine',
        sid: 'mine',
        data: { ID: 1, user_login: 'admin', roles: ['administrator'] },
      },
    }));
    const first = await login(system, user);
    expect(first.status).toBe(200);
    const claims = claimsOf(first.body.token);
    expect(claims).toMatchObject({ tenant: 'acme', grant: 'login', sub: String(user.id), aud: 'headlesskey', jti: first.body.jti });
    expect(claims.iss).not.toBe('https://evil.example');
    expect(claims.exp! - claims.iat!).toBe(3600);
    expect(claims.sid).toMatch(/^[0-9a-f-]{36}$/);
    expect(claims.data).toEqual({ ID: user.id, user_login: user.username, roles: ['subscriber'] });
    expect((await validate(system, first.body.token)).body).toMatchObject({ valid: true, data: { tenant: 'acme', sub: String(user.id) } });

    const child = await refresh(system, first.body.token);
    expect(child.status).toBe(200);
    expect(claimsOf(child.body.token)).toMatchObject({ tenant: 'acme', grant: 'refresh', sub: String(user.id), sid: claims.sid });
    // The hook saw the user and the request, never the password or a token.
    expect(seen).toHaveLength(2);
    for (const text of seen) {
      expect(JSON.parse(text)).toMatchObject({ user: { ID: user.id, user_login: user.username }, context: { ip: expect.any(String) } });
      expect(text).not.toContain(PASSWORD);
      expect(text).not.toContain(first.body.token);
    }
  });

  it('token.claims on a refresh: failing closed it is answered before the rotation, failing open while it commits', async () => {
    const user = await registered();
    let parent = (await login(system, user)).body.token;
    const live = async (token: string) => (await validate(system, token)).status === 200;
    /** Answers every refresh's request with what `answer` resolves to (undefined: stays silent). */
    const onRefresh = async (answer: () => Promise<unknown>) => {
      for (const sub of subs.splice(0)) sub.unsubscribe();
      const sub = bus.nc.subscribe(system.names.hook('token.claims'), {
        callback: (_err, msg: Msg) => {
          void answer().then((reply) => reply !== undefined && msg.respond(JSON.stringify(reply)));
        },
      });
      subs.push(sub);
      await bus.nc.flush();
    };
    const rotate = async () => {
      const reply = await refresh(system, parent);
      if (reply.status === 200) parent = reply.body.token;
      return reply;
    };

    // Failing closed, a silent hook refuses the refresh and leaves the session as it was.
    await setHooks({ 'token.claims': { timeout_ms: 300, fail: 'closed' } });
    await onRefresh(async () => undefined);
    const refused = await eventually(async () => {
      const reply = await rotate();
      return reply.status === 503 ? reply : undefined;
    });
    expect(refused.body.code).toBe('headlesskey_unavailable');
    expect(await live(parent)).toBe(true);
    // It is asked while the presented token is still the session's own.
    await onRefresh(async () => ({ claims: { rotated: !(await live(parent)) } }));
    const closed = await rotate();
    expect(closed.status).toBe(200);
    expect(claimsOf(closed.body.token).rotated).toBe(false);

    // Failing open it cannot refuse: it is asked while the rotation commits, and its claims still
    // go into the new token. This hook answers once the presented token is dead (or after 2 s).
    await setHooks({ 'token.claims': { timeout_ms: 3000, fail: 'open' } });
    await onRefresh(async () => {
      const deadline = Date.now() + 2000;
      while ((await live(parent)) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
      return { claims: { rotated: !(await live(parent)) } };
    });
    const open = await eventually(async () => {
      const reply = await rotate();
      return reply.status === 200 && claimsOf(reply.body.token).rotated === true ? reply : undefined;
    }, 20_000);
    expect(claimsOf(open.body.token).sub).toBe(String(user.id));
    await setHooks({});
  }, 60_000);

  it('register.validate: a veto refuses the registration with its message and creates nothing', async () => {
    const seen = await onHook('register.validate', (request) =>
      String(request.username).toLowerCase().startsWith('blocked_') ? { allow: false, message: 'Pick another username.' } : { allow: true },
    );
    const blocked = newUser('blocked');
    const attempt = { ...blocked, username: ` ${blocked.username.toUpperCase()}` };
    const refused = await register(attempt);
    expect(refused.status).toBe(403);
    expect(refused.body).toEqual({ code: 'headlesskey_forbidden', message: 'Pick another username.', data: { status: 403 } });
    expect((await register(newUser('allowed'))).status).toBe(201);
    // Shown in canonical form, without the password.
    expect(JSON.parse(seen[0]!)).toMatchObject({ username: blocked.username.toUpperCase(), email: blocked.email, context: {} });
    for (const text of seen) expect(text).not.toContain(PASSWORD);

    for (const sub of subs.splice(0)) sub.unsubscribe();
    await bus.nc.flush();
    // Nothing was reserved by the vetoed attempt: the same name registers once the hook is gone.
    expect((await login(system, { username: blocked.email, password: PASSWORD })).body.code).toBe('headlesskey_invalid_credentials');
    expect((await register(attempt)).status).toBe(201);
  });

  it('login.allow: a veto refuses a login whose password was right, and is recorded', async () => {
    const [vetoed, allowed] = [await registered(), await registered()];
    const seen = await onHook('login.allow', (request) =>
      (request.user as { ID: number }).ID === vetoed.id ? { allow: false, message: 'Your account is suspended.' } : { allow: true },
    );
    const refused = await login(system, vetoed);
    expect(refused.status).toBe(403);
    expect(refused.body).toEqual({ code: 'headlesskey_forbidden', message: 'Your account is suspended.', data: { status: 403 } });
    expect((await login(system, allowed)).status).toBe(200);
    await bus.waitForEvent('auth.login.failed', (e) => e.data.user_id === vetoed.id && e.data.reason === 'vetoed');

    // A wrong password is refused as ever, without asking the hook.
    const asked = seen.length;
    expect((await login(system, { ...vetoed, password: 'wrong horse battery staple' })).body.code).toBe('headlesskey_invalid_credentials');
    expect(seen).toHaveLength(asked);
    for (const text of seen) expect(text).not.toContain(PASSWORD);
  });

  it('a slow hook: failing open the login goes on, failing closed it is refused with 503', async () => {
    const user = await registered();
    await onHook('login.allow', () => undefined);
    await setHooks({ 'login.allow': { timeout_ms: 200, fail: 'closed' } });
    const closed = await eventually(async () => {
      const reply = await login(system, user);
      return reply.status === 503 ? reply : undefined;
    });
    expect(closed.body).toMatchObject({ code: 'headlesskey_unavailable', data: { status: 503 } });
    expect(closed.headers['retry-after']).toBe('1');

    await setHooks({ 'login.allow': { timeout_ms: 200, fail: 'open' } });
    await eventually(async () => ((await login(system, user)).status === 200 ? true : undefined));
    await setHooks({});
  });

  it('a hook nobody subscribes to is skipped at once, even one set to fail closed after 3 s', async () => {
    const closed: Partial<Record<HookName, HookPolicy>> = {
      'token.claims': { timeout_ms: 3000, fail: 'closed' },
      'register.validate': { timeout_ms: 3000, fail: 'closed' },
      'login.allow': { timeout_ms: 3000, fail: 'closed' },
    };
    const user = await registered();
    await setHooks(closed);
    // First, with silent subscribers, each service shows it applies that policy: a wait, then 503.
    await onHook('register.validate', () => undefined);
    await onHook('login.allow', () => undefined);
    await eventually(async () => ((await register(newUser())).status === 503 ? true : undefined), 20_000, 'register.validate closed');
    await eventually(async () => ((await login(system, user)).status === 503 ? true : undefined), 20_000, 'login.allow closed');
    for (const sub of subs.splice(0)) sub.unsubscribe();
    await onHook('token.claims', () => undefined);
    await eventually(async () => ((await login(system, user)).status === 503 ? true : undefined), 20_000, 'token.claims closed');
    for (const sub of subs.splice(0)) sub.unsubscribe();
    await bus.nc.flush();

    // Then nobody listens: every hook is skipped, not waited out (which would have refused).
    const started = performance.now();
    const fresh = newUser();
    expect((await register(fresh)).status).toBe(201);
    const session = await login(system, fresh);
    expect(session.status).toBe(200);
    expect((await refresh(system, session.body.token)).status).toBe(200);
    expect(performance.now() - started).toBeLessThan(3000);
    await setHooks({});
  }, 120_000);
});
