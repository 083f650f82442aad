import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { serviceDb, type WpError } from './support/admin-api.js';
import { startTestSystem, type TestSystem } from './support/system.js';
import { newUser, PASSWORD } from './support/users.js';

interface Registered {
  user_id: number;
  user: { user_login: string; display_name: string };
}

/** Digits only: letters would mix scripts with a non-Latin name. */
const tag = () => String(randomBytes(4).readUInt32BE(0));

/** New usernames cannot deceive (RFC 8265's username class, one script); display names lose hidden characters. */
describe('usernames', () => {
  let system: TestSystem;

  beforeAll(async () => {
    system = await startTestSystem();
  });
  afterAll(async () => {
    await system?.stop();
  });

  const register = (username: string, extra: Record<string, string> = {}) =>
    system.post<Registered & WpError>('/register', { ...newUser(), username, ...extra });

  it('refuses control and invisible characters in a new username, naming the rule', async () => {
    const t = tag();
    for (const username of [`ad\u200bmin${t}`, `admin${t}\r\nx`, `\u202eadmin${t}`, `admin${t}\u200e`, `ad\u2060min${t}`, `a\tb${t}`]) {
      const reply = await register(username);
      expect(reply.status, JSON.stringify(username)).toBe(400);
      expect(reply.body.code).toBe('rest_invalid_param');
      expect(reply.body.data.params).toEqual({ username: expect.stringMatching(/^username may contain only letters/) });
    }
    // Nothing was created: the visible name is still free.
    expect((await register(`admin${t}`)).status).toBe(201);
  });

  it('refuses a username that mixes scripts, such as a Cyrillic letter in a Latin name', async () => {
    for (const username of [`p\u0430ypal_${tag()}`, `\u0391dmin_${tag()}`]) {
      const reply = await register(username);
      expect(reply.status, username).toBe(400);
      expect(reply.body.data.params).toEqual({ username: expect.stringMatching(/^username .*must not mix letters of different scripts/) });
    }
  });

  it('takes names of any one script, and Latin beside Chinese, Japanese or Korean', async () => {
    for (const username of [`José_${tag()}`, `Вася_${tag()}`, `山田taro_${tag()}`, `さくら_${tag()}`]) {
      const reply = await register(username);
      expect(reply.status, username).toBe(201);
      expect(reply.body.user.user_login).toBe(username);
    }
  });

  it('keeps Unicode in a display name but drops control and bidi characters', async () => {
    const reply = await register(`ada_${tag()}`, { name: 'Ада\r\n\u202eLovelace 😀\u0007' });
    expect(reply.status).toBe(201);
    expect(reply.body.user.display_name).toBe('Ада Lovelace 😀');
  });

  it('lets an account registered before the rule keep signing in with its login', async () => {
    const user = newUser('legacy');
    const registered = await system.post<Registered>('/register', user);
    expect(registered.status).toBe(201);
    // An older release took this login; the store holds it as it was taken then.
    const legacy = `leg\u200bacy_${tag()}`;
    const db = await serviceDb(system, 'identity');
    try {
      await db.query('update users set user_login = $1 where id = $2', [legacy, registered.body.user_id]);
      await db.query("update user_identifiers set key = $1 where user_id = $2 and kind = 'login'", [
        legacy.toLowerCase(),
        registered.body.user_id,
      ]);
    } finally {
      await db.end();
    }
    const login = await system.post<{ user: { user_login: string } }>('/token', { username: legacy, password: PASSWORD });
    expect(login.status).toBe(200);
    expect(login.body.user.user_login).toBe(legacy);
  });
});
