import { createHash, randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { putSettings, serviceDb } from './support/settings.js';
import { startTestSystem, type TestSystem } from './support/system.js';
import { eventually, PASSWORD, registerAndLogin } from './support/users.js';

interface LoginReply {
  token: string;
  device_secret: string;
  code: string;
  data: { status: number; retry_after?: number };
}

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');
const NEW_PASSWORD = 'a brand new passphrase for testing';
const WRONG = 'a wrong password for sure';
/** Low enough to reach from two addresses, each of which locks itself after its fifth failure. */
const ACCOUNT_MAX = 10;

/**
 * The lock of an account from every address (`account_max_attempts`), and the device secret that
 * lets a device which logged in before through it. The gateway trusts loopback as a proxy, so
 * each request names its client address in `X-Forwarded-For`.
 */
describe('account-wide lockout and known devices', () => {
  let system: TestSystem;

  beforeAll(async () => {
    system = await startTestSystem({ env: { HEADLESSKEY_TRUSTED_PROXIES: '127.0.0.1', LOG_LEVEL: 'debug' } });
    await putSettings(system, { account_max_attempts: ACCOUNT_MAX });
    // Live once a name failed from two addresses is locked for a third.
    await eventually(
      async () => {
        const probe = `probe_${randomBytes(4).toString('hex')}`;
        await failFromEverywhere(probe);
        return (await login(probe, WRONG, address())).body.code === 'headlesskey_account_locked' ? true : undefined;
      },
      10_000,
      `account_max_attempts ${ACCOUNT_MAX}`,
    );
  });
  afterAll(() => system?.stop());

  let addresses = 0;
  /** A client address nobody used before. */
  const address = () => ({ 'x-forwarded-for': `198.51.${100 + Math.floor(++addresses / 250)}.${addresses % 250}` });
  const login = (username: string, password: string, headers: Record<string, string>, deviceSecret?: string) =>
    system.post<LoginReply>('/token', { username, password, ...(deviceSecret ? { device_secret: deviceSecret } : {}) }, headers);

  /** `ACCOUNT_MAX` wrong passwords from addresses of their own, five from each; the codes answered. */
  async function failFromEverywhere(username: string) {
    const codes = [];
    for (let i = 0; i < ACCOUNT_MAX / 5; i++) {
      const from = address();
      for (let j = 0; j < 5; j++) codes.push((await login(username, WRONG, from)).body.code);
    }
    return codes;
  }

  /** Locks `username` from every address: each wrong password was checked, none refused. */
  async function lockFromEverywhere(username: string) {
    expect(await failFromEverywhere(username)).toEqual(Array(ACCOUNT_MAX).fill('headlesskey_invalid_credentials'));
  }

  it('answers a device secret, stores only its digest, and keeps it out of events and logs', async () => {
    const user = await registerAndLogin(system);
    const viaToken = await login(user.username, PASSWORD, address());
    const viaLogin = await system.post<LoginReply>('/login', { username: user.username, password: PASSWORD }, address());
    const secrets = [viaToken.body.device_secret, viaLogin.body.device_secret];
    for (const secret of secrets) expect(secret).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(secrets[0]).not.toBe(secrets[1]);
    for (const service of ['identity', 'tokens'] as const) {
      const db = await serviceDb(system, service);
      try {
        const { rows } = await db.query('select * from events');
        const stored = service === 'identity' ? (await db.query('select * from known_devices')).rows : [];
        expect(stored.length).toBeGreaterThanOrEqual(service === 'identity' ? 2 : 0);
        for (const secret of secrets) expect(JSON.stringify([rows, stored])).not.toContain(secret);
      } finally {
        await db.end();
      }
    }
    const output = system.processes.map((p) => p.output()).join('\n');
    expect(output).toContain('identity');
    for (const secret of secrets) expect(output).not.toContain(secret);
  });

  it("keeps a user's 50 most recently used devices", async () => {
    const user = await registerAndLogin(system);
    const secrets = [];
    // Fifty devices besides the one that logged in at registration, which is forgotten.
    for (let i = 0; i < 50; i++) secrets.push((await login(user.username, PASSWORD, address())).body.device_secret);
    // The first device comes back, and is the most recently used now: a new one forgets the second.
    expect((await login(user.username, PASSWORD, address(), secrets[0])).body.device_secret).toBe(secrets[0]);
    secrets.push((await login(user.username, PASSWORD, address())).body.device_secret);
    const db = await serviceDb(system, 'identity');
    try {
      const { rows } = await db.query<{ digest: string }>('select digest from known_devices where user_id = $1', [user.id]);
      const digests = new Set(rows.map((r) => r.digest));
      expect(digests.size).toBe(50);
      expect(digests.has(sha256(secrets[0]!))).toBe(true);
      expect(digests.has(sha256(secrets[1]!))).toBe(false);
      expect(digests.has(sha256(secrets[50]!))).toBe(true);
    } finally {
      await db.end();
    }
  });

  it('locks an account for strangers from every address, but not for a device that logged in before', async () => {
    const user = await registerAndLogin(system);
    const other = await registerAndLogin(system);
    const known = (await login(user.username, PASSWORD, address())).body.device_secret;
    const othersSecret = (await login(other.username, PASSWORD, address())).body.device_secret;
    await lockFromEverywhere(user.username);

    const stranger = await login(user.username, PASSWORD, address());
    expect(stranger.status).toBe(429);
    expect(stranger.body).toMatchObject({ code: 'headlesskey_account_locked', data: { status: 429 } });
    expect(Number(stranger.headers['retry-after'])).toBeGreaterThan(0);
    expect((await login(user.username, PASSWORD, address(), 'a-forged-device-secret')).status).toBe(429);
    expect((await login(user.username, PASSWORD, address(), othersSecret)).status).toBe(429);

    const owner = await login(user.username, PASSWORD, address(), known);
    expect(owner.status).toBe(200);
    expect(owner.body.device_secret).toBe(known);
    // The known device's success lifts nothing for strangers.
    expect((await login(user.username, PASSWORD, address())).status).toBe(429);
  });

  it('still holds the known device to the lock of an address that failed', async () => {
    const user = await registerAndLogin(system);
    const known = (await login(user.username, PASSWORD, address())).body.device_secret;
    const from = address();
    for (let i = 0; i < 5; i++) await login(user.username, WRONG, from, known);
    expect((await login(user.username, PASSWORD, from, known)).body.code).toBe('headlesskey_account_locked');
    expect((await login(user.username, PASSWORD, address(), known)).status).toBe(200);
  });

  it('locks unknown names from every address exactly as accounts', async () => {
    const user = await registerAndLogin(system);
    const ghost = `ghost_${randomBytes(4).toString('hex')}`;
    await lockFromEverywhere(user.username);
    await lockFromEverywhere(ghost);
    const [known, unknown] = [await login(user.username, PASSWORD, address()), await login(ghost, PASSWORD, address())];
    expect(unknown.status).toBe(known.status);
    const { retry_after: knownRetry, ...knownData } = known.body.data;
    const { retry_after: ghostRetry, ...ghostData } = unknown.body.data;
    expect({ ...unknown.body, data: ghostData }).toEqual({ ...known.body, data: knownData });
    expect(Math.abs((ghostRetry ?? 0) - (knownRetry ?? 0))).toBeLessThanOrEqual(2);
  });

  it('lets the owner change the password through the lock, which forgets the devices that knew the old one', async () => {
    const user = await registerAndLogin(system);
    const first = await login(user.username, PASSWORD, address());
    await lockFromEverywhere(user.username);
    const changed = await system.post(
      '/change-password',
      { current_password: PASSWORD, new_password: NEW_PASSWORD },
      { authorization: `Bearer ${first.body.token}`, ...address() },
    );
    expect(changed.status).toBe(200);
    expect((await login(user.username, NEW_PASSWORD, address(), first.body.device_secret)).body.code).toBe('headlesskey_account_locked');
  });

  it('shows the device secret in the OpenAPI document, asked and answered', async () => {
    const doc = await system.request<{ paths: Record<string, Record<string, any>> }>('GET', '/docs/openapi.json');
    const token = doc.body.paths['/wp-json/headlesskey/v1/token']!.post;
    expect(token.requestBody.content['application/json'].schema.properties.device_secret).toMatchObject({ type: 'string' });
    expect(token.responses['200'].content['application/json'].schema.properties.device_secret).toMatchObject({ type: 'string' });
  });
});
