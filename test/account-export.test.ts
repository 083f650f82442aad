import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call } from './support/admin-api.js';
import { startTestSystem, type TestSystem } from './support/system.js';
import { login } from './support/tokens.js';
import { eventually, newUser } from './support/users.js';

interface Export {
  exported_at: string;
  user: { ID: number; user_login: string; user_email: string; roles: string[]; status: string; live_sessions: number };
  sessions: { id: string; current: boolean }[];
  activity: { event: string; user_id: number | null }[];
}

/** `GET /me/export` (docs/api.md): all the service holds about the caller, and nobody else's. */
describe('GET /me/export', () => {
  let system: TestSystem;

  beforeAll(async () => {
    system = await startTestSystem();
  });
  afterAll(async () => {
    await system?.stop();
  });

  it("answers the caller's profile, sessions and own activity as one document, and nothing secret", async () => {
    const user = newUser('exp');
    const other = newUser('exp');
    const registered = await system.post<{ user_id: number }>('/register', user);
    expect((await system.post('/register', other)).status).toBe(201);
    await login(system, other);
    expect((await login(system, { username: user.username, password: 'wrong horse battery staple' })).status).toBe(403);
    const { body: session } = await login(system, user);
    const expected = ['user.registered', 'token.issued', 'auth.login.failed', 'auth.login.succeeded'];
    // The activity log is written from the event stream: wait until it holds the caller's last login.
    const document = await eventually(async () => {
      const reply = await call<Export>(system, session.token, 'GET', '/me/export');
      expect(reply.status).toBe(200);
      const events = new Set(reply.body.activity.map((e) => e.event));
      return expected.every((e) => events.has(e)) && reply.body.activity.filter((e) => e.event === 'auth.login.succeeded').length === 1
        ? reply.body
        : undefined;
    });
    expect(document.user).toMatchObject({
      ID: registered.body.user_id,
      user_login: user.username,
      user_email: user.email,
      status: 'active',
    });
    expect(document.sessions).toHaveLength(2);
    expect(document.sessions.filter((s) => s.current)).toHaveLength(1);
    expect(new Set(document.activity.map((e) => e.user_id))).toEqual(new Set([registered.body.user_id]));
    const text = JSON.stringify(document);
    expect(text).not.toContain(other.username);
    expect(text).not.toContain(user.password);
    expect(text).not.toMatch(/\$2[aby]\$/);
    expect(text).not.toContain(session.token);
  });

  it('is for a signed-in user only', async () => {
    expect((await system.get<{ code: string }>('/me/export')).body.code).toBe('headlesskey_unauthorized');
  });
});
