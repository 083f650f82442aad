import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN_ENV, adminToken, call } from './support/admin-api.js';
import { type PrivatePostgres, startPrivatePostgres } from './support/private-postgres.js';
import { startTestSystem, type TestSystem } from './support/system.js';
import { type Bus, type ErrorReply, login, openBus, refresh, validate } from './support/tokens.js';
import { eventually, registerAndLogin } from './support/users.js';

/**
 * The whole system on a PostgreSQL server of its own, which the test restarts and stops under
 * load: every service rides it out — the requests it cuts off answer 503 `headlesskey_unavailable`,
 * none answers 500, no process exits, and everything answers again once the server is back.
 */
describe('a database restart or outage', () => {
  let server: PrivatePostgres;
  let system: TestSystem;
  let bus: Bus;

  beforeAll(async () => {
    server = await startPrivatePostgres();
    system = await startTestSystem({ databaseUrl: server.url, env: ADMIN_ENV });
    bus = await openBus(system);
  });
  afterAll(async () => {
    await bus?.close();
    await system?.stop();
    await server?.stop();
  });

  const exited = () => system.processes.filter((p) => p.exit !== undefined).map((p) => `${p.service}: ${p.output().slice(-800)}`);
  /** Any answer that is neither a success, a refusal of the request, nor the API's own 503. */
  const broken = (reply: { status: number; body: unknown }) =>
    reply.status >= 500 && !(reply.status === 503 && (reply.body as ErrorReply).code === 'headlesskey_unavailable');

  it('keeps every service running through a restart under load, and answers again within seconds', async () => {
    const users = await Promise.all(Array.from({ length: 6 }, () => registerAndLogin(system, {}, 'pgr')));
    const answers: { status: number; body: unknown }[] = [];
    let stop = false;
    const worker = async (user: (typeof users)[number], device: string) => {
      let token = user.token;
      while (!stop) {
        const signedIn = await login(system, user, device);
        answers.push(signedIn);
        if (signedIn.status === 200) token = signedIn.body.token;
        const rotated = await refresh(system, token);
        answers.push(rotated);
        if (rotated.status === 200) token = rotated.body.token;
        answers.push(await validate(system, token));
      }
    };
    const workers = users.map((user, i) => worker(user, `device-${i}`));
    await eventually(async () => (answers.filter((a) => a.status === 200).length > 60 ? true : undefined), 30_000, 'load');

    await server.restart();
    const restartedAt = answers.length;
    // Back within seconds: fresh logins, refreshes and validations succeed again.
    await eventually(
      async () => (answers.slice(restartedAt).filter((a) => a.status === 200).length > 30 ? true : undefined),
      15_000,
      'answers after the restart',
    );
    stop = true;
    await Promise.all(workers);

    expect(exited()).toEqual([]);
    expect(answers.filter(broken).map((a) => ({ status: a.status, body: a.body }))).toEqual([]);
    // The outbox relays reconnected too: what commits now reaches the event stream.
    const after = await registerAndLogin(system, {}, 'pga');
    await bus.waitForEvent('auth.login.succeeded', (e) => e.data.user_id === after.id);
    // And the activity log's projector goes on projecting them.
    const admin = await adminToken(system);
    await eventually(
      async () => {
        const reply = await call<{ entries: { event: string }[] }>(system, admin, 'GET', `/logs?user=${after.id}`);
        return reply.status === 200 && reply.body.entries.some((e) => e.event === 'auth.login.succeeded') ? true : undefined;
      },
      15_000,
      'the activity log after the restart',
    );
  });

  it('answers 503 headlesskey_unavailable while the server is down, and carries on once it is back', async () => {
    const user = await registerAndLogin(system, {}, 'pgd');
    await server.halt();
    try {
      const down = await login(system, user);
      expect(down.status).toBe(503);
      expect(down.body).toMatchObject({ code: 'headlesskey_unavailable', data: { status: 503 } });
      const validating = await validate(system, user.token);
      expect(broken(validating)).toBe(false);
    } finally {
      await server.start();
    }
    await eventually(
      async () => ((await login(system, user)).status === 200 ? true : undefined),
      15_000,
      'a login once the server is back',
    );
    expect(exited()).toEqual([]);
  });
});
