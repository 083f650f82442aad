import { type AuthEvent, createClient } from '@headlesskey/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connect, hmacHex, nowSeconds, type Site, startSite } from './support/sso.js';
import { loggedIn, login } from './support/tokens.js';
import { newUser } from './support/users.js';

/** The client's `ssoExchange`, both forms, between two running sites: A's token signs the browser in on B. */
describe('createClient().ssoExchange', () => {
  let a: Site;
  let b: Site;
  let aOnB: string;

  beforeAll(async () => {
    [a, b] = await Promise.all([startSite('alpha'), startSite('beta')]);
    aOnB = await connect(b, a, 'site-a', { provision_users: true });
  });
  afterAll(async () => {
    await Promise.all([a?.system.stop(), b?.system.stop()]);
  });

  const tokenOnA = async () => {
    const user = newUser('sso');
    expect((await a.system.post('/register', user)).status).toBe(201);
    return { user, token: (await loggedIn(login(a.system, user))).token };
  };

  it('exchanges a signed token (body form) for a session on B, and signs in', async () => {
    const { user, token } = await tokenOnA();
    const client = createClient({ url: b.system.apiUrl, crossTab: false });
    const events: AuthEvent[] = [];
    client.onAuthStateChange((event) => events.push(event));
    const reply = await client.ssoExchange({ site_key: 'site-a', token, signature: hmacHex(aOnB, token) });
    expect(reply.user.user_login).toBe(user.username);
    expect(events).toEqual(['signed_in']);
    expect((await client.me()).user_login).toBe(user.username);
    // A remote token is exchanged once.
    await expect(client.ssoExchange({ site_key: 'site-a', token, signature: hmacHex(aOnB, token) })).rejects.toMatchObject({
      code: 'headlesskey_sso_replay',
      status: 401,
    });
  });

  it('sends the headers form when given a timestamp, and a bad signature is refused with its code', async () => {
    const { token } = await tokenOnA();
    const client = createClient({ url: b.system.apiUrl, crossTab: false });
    await expect(
      client.ssoExchange({ site_key: 'site-a', token, signature: 'ab'.repeat(32), timestamp: String(nowSeconds()) }),
    ).rejects.toMatchObject({ code: 'headlesskey_sso_invalid_signature', status: 401 });
    const timestamp = String(nowSeconds());
    const reply = await client.ssoExchange({ site_key: 'site-a', token, signature: hmacHex(aOnB, `${timestamp}.${token}`), timestamp });
    expect(reply.refreshable).toBe(true);
    expect(client.session?.token).toBe(reply.token);
  });
});
