import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN_ENV, adminToken, call, type WpError } from './support/admin-api.js';
import { startTestSystem, type TestSystem } from './support/system.js';
import { claimsOf, freshDevice, type Issued, loggedIn, login, register, type SessionView, validate } from './support/tokens.js';
import { eventually } from './support/users.js';

type Entry = { event: string; data: { session_id?: string; reason?: string } };

/** An administrator's view of a user's sessions, and the end of one of them (docs/api.md, Administration). */
describe("a user's sessions, for administrators", () => {
  let system: TestSystem;
  let admin: string;

  beforeAll(async () => {
    system = await startTestSystem({ env: ADMIN_ENV });
    admin = await adminToken(system);
  });
  afterAll(() => system?.stop());

  const listOf = (token: string, id: number) => call<{ sessions: SessionView[] } & WpError>(system, token, 'GET', `/users/${id}/sessions`);
  const end = (token: string, id: number, sessionId: string) =>
    call<{ ended: boolean } & WpError>(system, token, 'DELETE', `/users/${id}/sessions/${sessionId}`);
  const twoSessions = async () => {
    const user = await register(system, 'sess');
    const laptop: Issued = await loggedIn(login(system, user, freshDevice('laptop')));
    const phone: Issued = await loggedIn(login(system, user, freshDevice('phone')));
    return { user, laptop, phone };
  };

  it('is for administrators only', async () => {
    const { user, laptop } = await twoSessions();
    expect((await listOf(laptop.token, user.id)).body.code).toBe('headlesskey_forbidden');
    expect((await end(laptop.token, user.id, claimsOf(laptop.token).sid)).body.code).toBe('headlesskey_forbidden');
    expect((await validate(system, laptop.token)).status).toBe(200);
  });

  it("lists a user's live sessions by device, none of them the caller's", async () => {
    const { user, laptop, phone } = await twoSessions();
    const { status, body } = await listOf(admin, user.id);
    expect(status).toBe(200);
    expect(body.sessions.map((s) => s.id).toSorted()).toEqual([claimsOf(laptop.token).sid, claimsOf(phone.token).sid].toSorted());
    expect(body.sessions.every((s) => !s.current && s.device.match(/^(laptop|phone)-/) && s.ip)).toBe(true);
    expect((await listOf(admin, 999_999)).body).toEqual({ sessions: [] });
  });

  it('ends one session: its token is revoked for reason admin, the other lives on', async () => {
    const { user, laptop, phone } = await twoSessions();
    const phoneSession = claimsOf(phone.token).sid;
    expect(await end(admin, user.id, phoneSession)).toMatchObject({ status: 200, body: { ended: true } });
    expect((await validate(system, phone.token)).body.code).toBe('headlesskey_token_revoked');
    expect((await validate(system, laptop.token)).status).toBe(200);
    expect((await listOf(admin, user.id)).body.sessions.map((s) => s.id)).toEqual([claimsOf(laptop.token).sid]);
    // Ended already: not found, as a session that never was.
    expect((await end(admin, user.id, phoneSession)).body.code).toBe('headlesskey_not_found');
    const revoked = await eventually(async () => {
      const log = await call<{ entries: Entry[] }>(system, admin, 'GET', `/logs?user=${user.id}&event=token.revoked`);
      return log.body.entries.find((e) => e.data.session_id === phoneSession);
    });
    expect(revoked.data.reason).toBe('admin');
  });

  it("does not end another user's session named under this user", async () => {
    const first = await twoSessions();
    const second = await twoSessions();
    const reply = await end(admin, first.user.id, claimsOf(second.laptop.token).sid);
    expect(reply).toMatchObject({ status: 404, body: { code: 'headlesskey_not_found' } });
    expect((await validate(system, second.laptop.token)).status).toBe(200);
    expect((await end(admin, first.user.id, 'not-a-uuid')).body.code).toBe('rest_invalid_param');
  });
});
