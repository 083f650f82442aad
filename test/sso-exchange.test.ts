import { createPublicKey, type JsonWebKey } from 'node:crypto';
import { type JWTHeaderParameters, SignJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, serviceDb } from './support/admin-api.js';
import {
  connect,
  type ExchangeReply,
  exchangeBody,
  exchangeHeaders,
  hmacHex,
  nowSeconds,
  type Site,
  sitesApi,
  startSite,
} from './support/sso.js';
import { type Bus, claimsOf, headerOf, loggedIn, login, openBus, validate } from './support/tokens.js';
import { eventually, newUser } from './support/users.js';

/**
 * Two complete instances on one machine, each connected on the other: a user of A gets a session
 * on B with A's token, and back, with HS256 and with ES256 verified through the other's JWKS.
 */
describe('SSO exchange between two sites', () => {
  let a: Site;
  let b: Site;
  let busA: Bus;
  let busB: Bus;
  /** The shared secrets: `aOnB` is what B made for A (A signs its exchanges on B with it). */
  let aOnB: string;
  let bOnA: string;

  beforeAll(async () => {
    [a, b] = await Promise.all([startSite('alpha'), startSite('beta')]);
    [busA, busB] = await Promise.all([openBus(a.system), openBus(b.system)]);
    aOnB = await connect(b, a, 'site-a', { provision_users: true });
    bOnA = await connect(a, b, 'site-b', { provision_users: true, link_by_email: true });
  });
  afterAll(async () => {
    await Promise.all([busA?.close(), busB?.close()]);
    await Promise.all([a?.system.stop(), b?.system.stop()]);
  });

  /** A user registered on `site` and one fresh login of theirs there. */
  const userOn = async (site: Site, user = newUser('sso')) => {
    const registered = await site.system.post<{ user_id: number }>('/register', user);
    if (registered.status !== 201) throw new Error(`register answered ${registered.status}`);
    return { ...user, id: registered.body.user_id, token: (await loggedIn(login(site.system, user))).token };
  };
  const tokenOf = async (site: Site, user: { username: string; password: string }) => (await loggedIn(login(site.system, user))).token;
  const expectRefused = (reply: { status: number; body: ExchangeReply }, code: string) => {
    expect(reply.body.code).toBe(code);
    expect(reply.status).toBe(code === 'headlesskey_forbidden' ? 403 : code === 'headlesskey_user_exists' ? 409 : 401);
  };
  const rejection = (bus: Bus, siteKey: string, reason: string) =>
    bus.waitForEvent('sso.rejected', (e) => e.data.site_key === siteKey && e.data.reason === reason);
  const usersOf = async (site: Site) => {
    const db = await serviceDb(site.system, 'identity');
    try {
      return Number((await db.query('select count(*)::int as n from users')).rows[0].n);
    } finally {
      await db.end();
    }
  };

  it('HS256: A’s token becomes a session on B (a new account); B’s token for it is not linked by email on A to Ada’s account, which has a password', async () => {
    const ada = await userOn(a);
    const onB = await exchangeBody(b, 'site-a', aOnB, ada.token);
    expect(onB.status).toBe(200);
    expect(onB.body).toMatchObject({ expires_in: 3600, refreshable: true, jti: claimsOf(onB.body.token).jti });
    expect(onB.body.user).toMatchObject({ user_login: ada.username, user_email: ada.email, roles: ['subscriber'] });
    expect(onB.body.expiration).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+00:00$/);
    expect(claimsOf(onB.body.token)).toMatchObject({ iss: b.issuer, sub: String(onB.body.user.ID) });
    expect((await validate(b.system, onB.body.token)).body.valid).toBe(true);
    const exchanged = await busB.waitForEvent('sso.exchanged', (e) => e.data.remote_sub === String(ada.id));
    expect(exchanged.data).toEqual({
      site_key: 'site-a',
      remote_sub: String(ada.id),
      remote_jti: claimsOf(ada.token).jti,
      user_id: onB.body.user.ID,
      session_id: claimsOf(onB.body.token).sid,
      jti: onB.body.jti,
      link: 'provisioned',
    });
    await busB.waitForEvent('user.registered', (e) => e.data.user_id === onB.body.user.ID && e.data.sso_site === 'site-a');

    // Another token of the same A user lands on the same B account.
    const again = await exchangeHeaders(b, 'site-a', aOnB, await tokenOf(a, ada));
    expect(again.status).toBe(200);
    expect(again.body.user.ID).toBe(onB.body.user.ID);

    // Back: B's token carries Ada's email, but her account on A has a password, so whoever holds
    // the address there may not be her: site-b links by email, yet not to that account.
    const usersOnA = await usersOf(a);
    expectRefused(await exchangeHeaders(a, 'site-b', bOnA, onB.body.token), 'headlesskey_user_exists');
    await rejection(busA, 'site-b', 'headlesskey_user_exists');
    expect(await usersOf(a)).toBe(usersOnA);
  });

  it('opens no session for an account an administrator disabled, and does again once it is enabled', async () => {
    const ada = await userOn(a);
    const first = await exchangeBody(b, 'site-a', aOnB, ada.token);
    expect(first.status).toBe(200);
    const onB = first.body.user.ID;
    expect((await call(b.system, b.admin, 'PATCH', `/users/${onB}`, { status: 'disabled' })).status).toBe(200);
    expect((await validate(b.system, first.body.token)).status).toBe(401);
    expectRefused(await exchangeBody(b, 'site-a', aOnB, await tokenOf(a, ada)), 'headlesskey_forbidden');
    expect((await call(b.system, b.admin, 'PATCH', `/users/${onB}`, { status: 'active' })).status).toBe(200);
    const again = await exchangeBody(b, 'site-a', aOnB, await tokenOf(a, ada));
    expect(again.status).toBe(200);
    expect(again.body.user.ID).toBe(onB);
  });

  it('never links by email to an account registered with a password: a squatter gets nothing', async () => {
    const victim = newUser('victim');
    await userOn(a, victim);
    // Before the victim ever comes to B, someone registers there with her email and a password they know.
    const squatter = await userOn(b, { ...newUser('squat'), email: victim.email });
    const linking = await connect(b, a, 'site-a-link', { link_by_email: true });
    expectRefused(await exchangeBody(b, 'site-a-link', linking, await tokenOf(a, victim)), 'headlesskey_forbidden');
    expect((await sitesApi(b, 'PATCH', '/site-a-link', { provision_users: true })).status).toBe(200);
    expectRefused(await exchangeBody(b, 'site-a-link', linking, await tokenOf(a, victim)), 'headlesskey_user_exists');
    const db = await serviceDb(b.system, 'identity');
    try {
      expect((await db.query('select 1 from sso_links where user_id = $1', [squatter.id])).rows).toEqual([]);
    } finally {
      await db.end();
    }
  });

  it('asks the token.claims hook for the session it opens, as a login does', async () => {
    const sub = busB.nc.subscribe(b.system.names.hook('token.claims'), {
      callback: (_err, msg) => {
        const request = JSON.parse(new TextDecoder().decode(msg.data)) as { grant: string };
        msg.respond(JSON.stringify({ claims: { tier: `gold-${request.grant}`, sub: 'forged' } }));
      },
    });
    try {
      await busB.nc.flush();
      const user = await userOn(a);
      const onB = await exchangeBody(b, 'site-a', aOnB, await tokenOf(a, user));
      expect(onB.status).toBe(200);
      expect(claimsOf(onB.body.token)).toMatchObject({ tier: 'gold-login', sub: String(onB.body.user.ID) });
    } finally {
      sub.unsubscribe();
    }
  });

  it('keeps no tokens transaction open while identity or the token.claims hook is asked', async () => {
    const [identityDb, tokensDb] = await Promise.all([serviceDb(b.system, 'identity'), serviceDb(b.system, 'tokens')]);
    /** Transactions of the tokens store left open, idle, since before `since`: held across a request. */
    const heldOpen = async (since: Date) =>
      (
        await tokensDb.query(
          `select query from pg_stat_activity
           where datname = current_database() and state = 'idle in transaction' and xact_start <= $1`,
          [since],
        )
      ).rows;
    try {
      // Identity is held on the lock it takes for the remote user, as a concurrent exchange would hold it.
      const user = await userOn(a);
      await identityDb.query('begin');
      await identityDb.query("select pg_advisory_xact_lock(hashtext('sso-link'), hashtext($1 || chr(10) || $2))", [
        'site-a',
        String(user.id),
      ]);
      const first = exchangeBody(b, 'site-a', aOnB, await tokenOf(a, user));
      const waiting = await eventually(async () => {
        const { rows } = await tokensDb.query('select now() as at');
        const blocked = await identityDb.query(
          "select 1 from pg_stat_activity where datname = current_database() and wait_event_type = 'Lock' and wait_event = 'advisory'",
        );
        return blocked.rows.length > 0 ? (rows[0].at as Date) : undefined;
      });
      expect(await heldOpen(waiting)).toEqual([]);
      await identityDb.query('commit');
      expect((await first).status).toBe(200);

      // The hook is held until the tokens store has been looked at.
      let release!: () => void;
      const held = new Promise<void>((resolve) => {
        release = resolve;
      });
      let asked!: (at: Date) => void;
      const askedAt = new Promise<Date>((resolve) => {
        asked = resolve;
      });
      const sub = busB.nc.subscribe(b.system.names.hook('token.claims'), {
        callback: (_err, msg) => {
          asked(new Date());
          void held.then(() => msg.respond(JSON.stringify({ claims: {} })));
        },
      });
      try {
        await busB.nc.flush();
        const second = exchangeBody(b, 'site-a', aOnB, await tokenOf(a, user));
        expect(await heldOpen(await askedAt)).toEqual([]);
        release();
        expect((await second).status).toBe(200);
      } finally {
        release();
        sub.unsubscribe();
      }
    } finally {
      await identityDb.query('rollback').catch(() => undefined);
      await Promise.all([identityDb.end(), tokensDb.end()]);
    }
  });

  it('accepts each remote token once, even from two requests at the same moment', async () => {
    const user = await userOn(a);
    const token = await tokenOf(a, user);
    const [first, second] = await Promise.all([exchangeBody(b, 'site-a', aOnB, token), exchangeHeaders(b, 'site-a', aOnB, token)]);
    expect([first.status, second.status].sort()).toEqual([200, 401]);
    expectRefused(first.status === 401 ? first : second, 'headlesskey_sso_replay');
    expectRefused(await exchangeBody(b, 'site-a', aOnB, token), 'headlesskey_sso_replay');
    await rejection(busB, 'site-a', 'headlesskey_sso_replay');
  });

  it('refuses an unknown site, a wrong secret or signature, a stale timestamp, a foreign iss and an expired token', async () => {
    const user = await userOn(a);
    const token = await tokenOf(a, user);
    expectRefused(await exchangeBody(b, 'site-x', aOnB, token), 'headlesskey_sso_unknown_site');
    expectRefused(await exchangeBody(b, 'site-a', bOnA, token), 'headlesskey_sso_invalid_signature');
    expectRefused(await exchangeBody(b, 'site-a', aOnB, token, hmacHex(aOnB, `${token}x`)), 'headlesskey_sso_invalid_signature');
    expectRefused(await exchangeHeaders(b, 'site-a', aOnB, token, nowSeconds() - 301), 'headlesskey_sso_replay');
    // Past the window ahead by more than the seconds the request may take to arrive (301 could
    // land at 300 once B's clock has ticked).
    expectRefused(await exchangeHeaders(b, 'site-a', aOnB, token, nowSeconds() + 305), 'headlesskey_sso_replay');

    // Signed with A's own key but naming another issuer; and B's token presented as A's.
    const secret = new TextEncoder().encode(a.hs256Secret);
    const foreign = await new SignJWT({ ...claimsOf(token), iss: 'https://elsewhere.example' })
      .setProtectedHeader(headerOf(token) as JWTHeaderParameters)
      .sign(secret);
    const foreignReply = await exchangeBody(b, 'site-a', aOnB, foreign);
    expectRefused(foreignReply, 'headlesskey_invalid_token');
    expect(foreignReply.body.data.reason).toMatch(/iss/);
    expectRefused(await exchangeBody(b, 'site-a', aOnB, await tokenOf(b, await userOn(b))), 'headlesskey_invalid_token');
    const expired = await new SignJWT({
      ...claimsOf(token),
      jti: crypto.randomUUID(),
      iat: nowSeconds() - 120,
      nbf: nowSeconds() - 120,
      exp: nowSeconds() - 60,
    })
      .setProtectedHeader(headerOf(token) as JWTHeaderParameters)
      .sign(secret);
    expectRefused(await exchangeBody(b, 'site-a', aOnB, expired), 'headlesskey_token_expired');
    // Another algorithm than the site's is refused before any key is tried.
    const hs512 = await new SignJWT({ ...claimsOf(token), jti: crypto.randomUUID() })
      .setProtectedHeader({ alg: 'HS512', typ: 'JWT' })
      .sign(secret);
    expectRefused(await exchangeBody(b, 'site-a', aOnB, hs512), 'headlesskey_invalid_token');

    const refusals = [
      ['site-x', 'headlesskey_sso_unknown_site'],
      ['site-a', 'headlesskey_sso_invalid_signature'],
      ['site-a', 'headlesskey_invalid_token'],
      ['site-a', 'headlesskey_token_expired'],
    ];
    for (const [siteKey, code] of refusals) await rejection(busB, siteKey!, code!);
    // None of the refusals used the token up: correctly signed and fresh, it is still accepted once.
    expect((await exchangeHeaders(b, 'site-a', aOnB, token)).status).toBe(200);
  });

  it('provisioning off: no account is made, and the token is still usable once provisioning is on', async () => {
    const closed = await connect(b, a, 'site-a-closed');
    const user = await userOn(a);
    const token = await tokenOf(a, user);
    const before = await usersOf(b);
    expectRefused(await exchangeBody(b, 'site-a-closed', closed, token), 'headlesskey_forbidden');
    await rejection(busB, 'site-a-closed', 'headlesskey_forbidden');
    expect(await usersOf(b)).toBe(before);

    expect((await sitesApi(b, 'PATCH', '/site-a-closed', { provision_users: true })).status).toBe(200);
    const opened = await exchangeBody(b, 'site-a-closed', closed, token);
    expect(opened.status).toBe(200);
    expect(await usersOf(b)).toBe(before + 1);
  });

  it('links the account with the same email only when the site links by email, and only one without a password', async () => {
    const mail = await connect(b, a, 'site-a-mail', { provision_users: true });
    const bob = newUser('bob');
    const onA = await userOn(a, bob);
    // Through site-a, B made Bob an account: his email, and a password nobody knows.
    const onB = await exchangeBody(b, 'site-a', aOnB, await tokenOf(a, bob));
    expect(onB.status).toBe(200);
    const before = await usersOf(b);
    const refused = await exchangeBody(b, 'site-a-mail', mail, await tokenOf(a, bob));
    expectRefused(refused, 'headlesskey_user_exists');
    expect(await usersOf(b)).toBe(before);

    expect((await sitesApi(b, 'PATCH', '/site-a-mail', { link_by_email: true })).status).toBe(200);
    const linked = await exchangeBody(b, 'site-a-mail', mail, await tokenOf(a, bob));
    expect(linked.status).toBe(200);
    expect(linked.body.user).toMatchObject({ ID: onB.body.user.ID, user_email: bob.email });
    await busB.waitForEvent(
      'sso.exchanged',
      (e) => e.data.site_key === 'site-a-mail' && e.data.remote_sub === String(onA.id) && e.data.link === 'email',
    );
    expect(await usersOf(b)).toBe(before);
  });

  it('ES256 through each other’s JWKS, both ways; the algorithm stays pinned to the site', async () => {
    await Promise.all([busA.setSetting('algorithm', 'ES256'), busB.setSetting('algorithm', 'ES256')]);
    const carol = newUser('carol');
    await userOn(a, carol);
    const esToken = async (site: Site, user: typeof carol) =>
      eventually(
        async () => {
          const token = await tokenOf(site, user);
          return headerOf(token).alg === 'ES256' ? token : undefined;
        },
        10_000,
        `an ES256 token from ${site.name}`,
      );
    const fromA = await esToken(a, carol);

    // B still verifies site-a with HS256: an ES256 token is refused, and does not use up its jti.
    expectRefused(await exchangeBody(b, 'site-a', aOnB, fromA), 'headlesskey_invalid_token');
    const jwksA = { verification: 'jwks', jwks_url: a.jwksUrl, algorithm: 'ES256' };
    expect((await sitesApi(b, 'PATCH', '/site-a', jwksA)).body).toMatchObject({ verification: 'jwks', algorithm: 'ES256' });
    const onB = await exchangeHeaders(b, 'site-a', aOnB, fromA);
    expect(onB.status).toBe(200);
    expect(onB.body.user).toMatchObject({ user_login: carol.username, user_email: carol.email });
    expect(headerOf(onB.body.token).alg).toBe('ES256');

    const jwksB = { verification: 'jwks', jwks_url: b.jwksUrl, algorithm: 'ES256' };
    expect((await sitesApi(a, 'PATCH', '/site-b', jwksB)).status).toBe(200);
    // Back with a user of B's own (Carol's account on A has a password: it is never linked by email).
    const dave = newUser('dave');
    await userOn(b, dave);
    const back = await exchangeBody(a, 'site-b', bOnA, await esToken(b, dave));
    expect(back.status).toBe(200);
    expect(back.body.user).toMatchObject({ user_login: dave.username, user_email: dave.email });

    // The same key given as a PEM public key verifies too.
    const jwks = (await (await fetch(a.jwksUrl)).json()) as { keys: (JsonWebKey & { kid: string })[] };
    const jwk = jwks.keys.find((k) => k.kid === headerOf(fromA).kid)!;
    const pem = createPublicKey({ key: jwk, format: 'jwk' }).export({ type: 'spki', format: 'pem' }).toString();
    const pemSite = await sitesApi(b, 'PATCH', '/site-a', { verification: 'public_key', public_key: pem });
    expect(pemSite.body).toMatchObject({ verification: 'public_key', algorithm: 'ES256', jwks_url: null });
    const viaPem = await exchangeBody(b, 'site-a', aOnB, await esToken(a, carol));
    expect(viaPem.status).toBe(200);
    expect(viaPem.body.user.ID).toBe(onB.body.user.ID);

    // An HS256 token signed with A's secret no longer passes for site-a.
    const hs = await new SignJWT({ ...claimsOf(fromA), jti: crypto.randomUUID() })
      .setProtectedHeader({ alg: 'HS256', typ: 'JWT', kid: headerOf(fromA).kid })
      .sign(new TextEncoder().encode(a.hs256Secret));
    expectRefused(await exchangeBody(b, 'site-a', aOnB, hs), 'headlesskey_invalid_token');
  });

  it('never puts a token, a signature or a secret into an event', async () => {
    const raw = [...busA.raw, ...busB.raw].join('\n');
    expect(raw).toContain('sso.exchanged');
    expect(raw).toContain('sso.rejected');
    for (const secret of [aOnB, bOnA, a.hs256Secret, b.hs256Secret]) expect(raw).not.toContain(secret);
    expect(raw).not.toMatch(/eyJ[\w-]+\.[\w-]+\.[\w-]+/);
    expect(raw).not.toMatch(/[0-9a-f]{64}/);
  });
});
