import { generateKeyPairSync, type KeyObject, randomBytes } from 'node:crypto';
import { SignJWT } from 'jose';
import { Webhook } from 'standardwebhooks';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { adminToken, call, createEndpoint, DISPATCHER_ENV, deliveriesOf } from './support/admin-api.js';
import { putSettings } from './support/settings.js';
import { startTestSystem, type TestSystem } from './support/system.js';
import { claimsOf, headerOf, ISSUER, resign, revoke, SECRET } from './support/tokens.js';
import { eventually, newUser, registerAndLogin } from './support/users.js';
import { startWordPress, type WordPress } from './support/wordpress-site.js';

/** The user WordPress answers `/wp/v2/users/me` with, in the `edit` context (id, login, email, roles). */
interface Me {
  id: number;
  username: string;
  email: string;
  roles: string[];
  code?: string;
}

interface WpUser {
  ID: number;
  login: string;
  email: string;
  display_name: string;
  roles: string[];
  disabled: boolean;
}

const USER_EVENTS = ['user.registered', 'user.updated', 'user.roles_changed', 'user.disabled', 'user.enabled', 'user.deleted'];

/**
 * Real WordPress (Debian's package, php -S, MariaDB) with the bridge plugin, against a whole
 * HeadlessKey system: HeadlessKey's tokens are WordPress's users, and its webhooks keep them in step.
 * HeadlessKey signs RS256 with a key the test holds, so the test can sign tokens that are wrong in
 * exactly one way.
 */
describe('the WordPress bridge plugin on real WordPress', () => {
  const rsa = generateKeyPairSync('rsa', { modulusLength: 2048 });
  let system: TestSystem;
  let wp: WordPress;
  let admin: string;
  /** A token HeadlessKey signed with the test's RSA key. */
  let firstToken: string;

  const me = async (token: string) => {
    const res = await fetch(`${wp.url}/wp-json/wp/v2/users/me?context=edit`, { headers: { authorization: `Bearer ${token}` } });
    return { status: res.status, body: (await res.json()) as Me };
  };
  const configure = (options: Record<string, unknown>) =>
    wp.php(
      `foreach ( json_decode( ${phpString(JSON.stringify(options))}, true ) as $k => $v ) { update_option( 'headlesskey_bridge_' . $k, $v ); } echo 1;`,
    );
  const wpUser = (id: number) =>
    wp.php<WpUser | null>(
      `$u = get_user_by( 'id', ${id} ); echo wp_json_encode( $u ? array( 'ID' => $u->ID, 'login' => $u->user_login, 'email' => $u->user_email, 'display_name' => $u->display_name, 'roles' => array_values( $u->roles ), 'disabled' => HeadlessKey_Bridge_Users::is_disabled( $u->ID ) ) : null );`,
    );
  const signed = async (token: string, claims: Record<string, unknown>) =>
    new SignJWT({ ...claimsOf(token), ...claims }).setProtectedHeader(headerOf(token) as { alg: string }).sign(rsa.privateKey);
  const loginAs = async (user: { username: string; password: string }) => {
    const reply = await system.post<{ token: string }>('/token', { username: user.username, password: user.password });
    expect(reply.status).toBe(200);
    return reply.body.token;
  };

  beforeAll(async () => {
    [system, wp] = await Promise.all([
      startTestSystem({
        env: {
          ...DISPATCHER_ENV,
          HEADLESSKEY_SECRET_KEY: SECRET,
          HEADLESSKEY_ISSUER: ISSUER,
          HEADLESSKEY_AUDIENCE: 'headlesskey',
          HEADLESSKEY_PRIVATE_KEY: rsa.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
        },
      }),
      startWordPress(),
    ]);
    await putSettings(system, { algorithm: 'RS256' });
    admin = await adminToken(system);
    firstToken = await eventually(
      async () => {
        const { token } = await registerAndLogin(system);
        return headerOf(token).alg === 'RS256' ? token : undefined;
      },
      15_000,
      'RS256 tokens',
    );
    await configure({ url: system.url, issuer: ISSUER, audience: 'headlesskey', algorithm: 'jwks', map_by: 'id', create_users: true });
  });
  afterAll(async () => {
    await Promise.allSettled([system?.stop(), wp?.stop()]);
  });

  it('answers /wp/v2/users/me as the token’s user, created on first use with the same ID, login and email', async () => {
    const user = await registerAndLogin(system);
    expect(headerOf(user.token).alg).toBe('RS256');
    expect(await wpUser(user.id)).toBeNull();
    const reply = await me(user.token);
    expect(reply.status).toBe(200);
    expect(reply.body).toMatchObject({ id: user.id, username: user.username, email: user.email, roles: ['subscriber'] });
    expect(await wpUser(user.id)).toMatchObject({ login: user.username, email: user.email, disabled: false });
    // The next request finds the user made by the first one.
    expect((await me(user.token)).body.id).toBe(user.id);
  });

  it('refuses a token whose ID belongs to another login on this site (WordPress’s admin is ID 1, so is HeadlessKey’s)', async () => {
    const reply = await me(admin);
    expect(claimsOf(admin).data.ID).toBe(1);
    expect(reply).toMatchObject({ status: 401, body: { code: 'headlesskey_bridge_user_conflict' } });
    expect((await wpUser(1))?.login).toBe('admin');
  });

  it('refuses forged, expired, unsigned, algorithm-confused and misaddressed tokens with 401', async () => {
    const user = await registerAndLogin(system);
    const other = await registerAndLogin(system);
    const [header, , signature] = user.token.split('.');
    const otherPayload = other.token.split('.')[1];
    const now = Math.floor(Date.now() / 1000);
    // A token the test signs with HeadlessKey's own key is accepted: each refusal below is for its one fault.
    expect((await me(await signed(user.token, {}))).status).toBe(200);
    const refused: [string, string, string][] = [
      ['another user’s claims under this signature', `${header}.${otherPayload}.${signature}`, 'headlesskey_bridge_signature'],
      ['expired', await signed(user.token, { iat: now - 7200, nbf: now - 7200, exp: now - 3600 }), 'headlesskey_bridge_expired'],
      ['alg none', `${b64({ alg: 'none', typ: 'JWT' })}.${user.token.split('.')[1]}.`, 'headlesskey_bridge_malformed'],
      [
        'alg none, signed',
        `${b64({ alg: 'none', kid: headerOf(user.token).kid })}.${user.token.split('.')[1]}.c2ln`,
        'headlesskey_bridge_algorithm',
      ],
      ['HS256 keyed with the public key', await publicKeyAsSecret(user.token, rsa.publicKey), 'headlesskey_bridge_algorithm'],
      ['another audience', await signed(user.token, { aud: 'another-site' }), 'headlesskey_bridge_claims'],
      ['another issuer', await signed(user.token, { iss: 'https://evil.example' }), 'headlesskey_bridge_claims'],
    ];
    for (const [what, token, code] of refused) {
      const reply = await me(token);
      expect({ what, status: reply.status, code: reply.body.code }).toEqual({ what, status: 401, code });
    }
  });

  it('refuses a revoked token at once with online validation on, and only then', async () => {
    const user = await registerAndLogin(system);
    expect((await revoke(system, user.token)).status).toBe(200);
    // Offline, the signature and claims still hold until `exp`: that is what online validation is for.
    expect((await me(user.token)).status).toBe(200);
    await configure({ online: true });
    try {
      expect(await me(user.token)).toMatchObject({ status: 401, body: { code: 'headlesskey_bridge_revoked' } });
      const fresh = await loginAs(user);
      expect((await me(fresh)).body.id).toBe(user.id);
    } finally {
      await configure({ online: false });
    }
  });

  it('keeps WordPress users in step with HeadlessKey through its webhooks', async () => {
    await configure({ create_users: false });
    const endpoint = await createEndpoint(system, admin, `${wp.url}/wp-json/headlesskey-bridge/v1/webhook`, { events: USER_EVENTS });
    await configure({ webhook_secret: endpoint.secret });
    const user = newUser('hooked');
    const registered = await system.post<{ user_id: number }>('/register', user);
    expect(registered.status).toBe(201);
    const id = registered.body.user_id;
    const created = await eventually(() => wpUser(id).then((u) => u ?? undefined), 30_000, 'the user created by the webhook');
    expect(created).toMatchObject({ login: user.username, email: user.email, roles: ['subscriber'], disabled: false });
    // Creating users on first use is off: the webhook made the account the token finds.
    const token = await loginAs(user);
    expect((await me(token)).body).toMatchObject({ id, username: user.username });

    const email = `renamed_${user.email}`;
    expect((await call(system, admin, 'PATCH', `/users/${id}`, { roles: ['editor', 'author'], name: 'Renamed', email })).status).toBe(200);
    await eventually(
      async () => {
        const u = await wpUser(id);
        return u?.email === email && u.display_name === 'Renamed' && u.roles.length === 2 ? u : undefined;
      },
      30_000,
      'the update and the roles',
    );
    expect((await wpUser(id))?.roles.sort()).toEqual(['author', 'editor']);

    expect((await call(system, admin, 'PATCH', `/users/${id}`, { status: 'disabled' })).status).toBe(200);
    await eventually(async () => ((await wpUser(id))?.disabled ? true : undefined), 30_000, 'the user disabled');
    // Offline the token's signature still holds; the account is what refuses it.
    expect(await me(token)).toMatchObject({ status: 401, body: { code: 'headlesskey_bridge_user_disabled' } });
    expect((await call(system, admin, 'PATCH', `/users/${id}`, { status: 'active' })).status).toBe(200);
    await eventually(async () => ((await wpUser(id))?.disabled === false ? true : undefined), 30_000, 'the user enabled');

    expect((await call(system, admin, 'DELETE', `/users/${id}`)).status).toBe(200);
    await eventually(async () => ((await wpUser(id)) === null ? true : undefined), 30_000, 'the user deleted');
    const log = await eventually(
      async () => {
        const rows = await deliveriesOf(system, admin, endpoint.id);
        return rows.length >= 6 && rows.every((d) => d.status === 'delivered') ? rows : undefined;
      },
      30_000,
      'every delivery answered 2xx',
    );
    expect(new Set(log.map((d) => d.event_type))).toEqual(new Set(USER_EVENTS));
    // The tests below create users by their tokens alone.
    expect((await call(system, admin, 'DELETE', `/webhooks/${endpoint.id}`)).status).toBeLessThan(300);
  });

  it('refuses a webhook with a bad signature or an old timestamp, and applies a replayed message once', async () => {
    const secret = `whsec_${randomBytes(32).toString('base64')}`;
    await configure({ webhook_secret: secret });
    const id = 900_000 + Math.floor(Math.random() * 90_000);
    const body = JSON.stringify({
      type: 'user.registered',
      timestamp: new Date().toISOString(),
      data: { user_id: id, user_login: `hook_${id}`, user_email: `hook_${id}@example.com`, display_name: 'Hook', roles: ['subscriber'] },
    });
    const post = (headers: Record<string, string>) =>
      fetch(`${wp.url}/wp-json/headlesskey-bridge/v1/webhook`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...headers },
        body,
      });
    const headers = (key: string, msgId: string, at: Date) => ({
      'webhook-id': msgId,
      'webhook-timestamp': String(Math.floor(at.getTime() / 1000)),
      'webhook-signature': new Webhook(key).sign(msgId, at, body),
    });
    const other = 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw';
    const stale = new Date(Date.now() - 10 * 60_000);
    for (const bad of [headers(other, 'msg_forged', new Date()), headers(secret, 'msg_stale', stale), {}]) {
      const res = await post(bad);
      expect({ status: res.status, code: ((await res.json()) as Me).code }).toEqual({
        status: 401,
        code: 'headlesskey_bridge_webhook_signature',
      });
    }
    expect(await wpUser(id)).toBeNull();

    const genuine = headers(secret, `msg_${id}`, new Date());
    expect(await (await post(genuine)).json()).toEqual({ result: 'created' });
    expect((await wpUser(id))?.login).toBe(`hook_${id}`);
    await wp.php(`require_once ABSPATH . 'wp-admin/includes/user.php'; echo wp_json_encode( wp_delete_user( ${id} ) );`);
    const replayed = await post(genuine);
    expect({ status: replayed.status, body: await replayed.json() }).toEqual({ status: 200, body: { result: 'already applied' } });
    expect(await wpUser(id)).toBeNull();
  });

  it('takes ES256 tokens after HeadlessKey moves to a new key, by fetching its JWKS again', async () => {
    await configure({ jwks_refetch: 1, create_users: true });
    await putSettings(system, { algorithm: 'ES256' });
    const user = await eventually(
      async () => {
        const u = await registerAndLogin(system);
        return headerOf(u.token).alg === 'ES256' ? u : undefined;
      },
      15_000,
      'ES256 tokens',
    );
    // The first try may fall within the refetch interval of an earlier fetch: polled, not slept.
    const reply = await eventually(
      async () => {
        const r = await me(user.token);
        return r.status === 200 ? r : undefined;
      },
      15_000,
      'the new key fetched',
    );
    expect(reply.body.id).toBe(user.id);
  });

  it('takes HS256 tokens with the shared secret, and only HS256 then', async () => {
    const rs256 = await signed(firstToken, {});
    await configure({ algorithm: 'hs256', secret: SECRET });
    await putSettings(system, { algorithm: 'HS256' });
    const user = await eventually(
      async () => {
        const u = await registerAndLogin(system);
        return headerOf(u.token).alg === 'HS256' ? u : undefined;
      },
      15_000,
      'HS256 tokens',
    );
    expect((await me(user.token)).body.id).toBe(user.id);
    const now = Math.floor(Date.now() / 1000);
    const expired = await resign(user.token, { iat: now - 7200, nbf: now - 7200, exp: now - 3600 });
    expect((await me(expired)).body.code).toBe('headlesskey_bridge_expired');
    expect((await me(rs256)).body.code).toBe('headlesskey_bridge_algorithm');
    const forged = await new SignJWT(claimsOf(user.token))
      .setProtectedHeader(headerOf(user.token) as { alg: string })
      .sign(new TextEncoder().encode(`${SECRET}x`));
    expect((await me(forged)).body.code).toBe('headlesskey_bridge_signature');
  });

  it('shows a settings page to administrators only, with a nonce and never a secret', async () => {
    const page = (userId: number) =>
      wp.php<string>(
        `require_once ABSPATH . 'wp-admin/includes/admin.php'; wp_set_current_user( ${userId} ); HeadlessKey_Bridge_Admin::add_fields(); ob_start(); HeadlessKey_Bridge_Admin::render(); echo wp_json_encode( ob_get_clean() );`,
      );
    const html = await page(1);
    expect(html).toContain('name="_wpnonce"');
    expect(html).toContain('name="headlesskey_bridge_url"');
    expect(html).toContain('A secret is set');
    expect(html).not.toContain(SECRET);
    expect(html).not.toContain(
      await wp.php<string>(`echo wp_json_encode( substr( get_option( 'headlesskey_bridge_webhook_secret' ), 6 ) );`),
    );
    const subscriber = await wp.php<number>(
      `echo wp_json_encode( wp_insert_user( array( 'user_login' => 'reader', 'user_pass' => wp_generate_password(), 'role' => 'subscriber' ) ) );`,
    );
    expect(await page(subscriber)).toBe('');
    // A secret that is not a Standard Webhooks secret is refused; the stored one stays.
    const before = await wp.php<string>(`echo wp_json_encode( get_option( 'headlesskey_bridge_webhook_secret' ) );`);
    await configure({ webhook_secret: 'not-a-secret' });
    expect(await wp.php<string>(`echo wp_json_encode( get_option( 'headlesskey_bridge_webhook_secret' ) );`)).toBe(before);
  });

  it('raised no PHP notice, warning or error in the plugin', async () => {
    const lines = (await wp.debugLog()).split('\n').filter((line) => /wordpress-bridge|headlesskey-bridge/.test(line));
    expect(lines).toEqual([]);
  });
});

const b64 = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');

/** A PHP single-quoted literal of a string. */
const phpString = (value: string) => `'${value.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;

/** The classic confusion: HS256 keyed with the RS256 public key's PEM, under the RS256 key's kid. */
async function publicKeyAsSecret(token: string, publicKey: KeyObject): Promise<string> {
  const pem = publicKey.export({ type: 'spki', format: 'pem' }).toString();
  return new SignJWT(claimsOf(token)).setProtectedHeader({ alg: 'HS256', kid: headerOf(token).kid }).sign(new TextEncoder().encode(pem));
}
