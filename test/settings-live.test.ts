import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN_ENV, adminToken } from './support/admin-api.js';
import { type ExtraGateway, startExtraGateway } from './support/gateway.js';
import { changeSettings, readSettings, whoAmI } from './support/settings-api.js';
import { startTestSystem, type TestSystem } from './support/system.js';
import { type Api, type Bus, type ErrorReply, freshDevice, type Issued, login, openBus } from './support/tokens.js';
import { eventually, newUser, registerAndLogin } from './support/users.js';

/** Calls through both gateways at once: enough of them that each reaches every replica behind. */
const CALLS = 12;

/**
 * Two gateways in front of two identity and two tokens replicas: a PATCH through either is in
 * force on every one of them within a second, none restarted; and a change whose bucket write was
 * lost (identity died between commit and write) is written when identity starts again.
 */
describe('settings applied live across replicas', () => {
  let system: TestSystem;
  let other: ExtraGateway;
  let bus: Bus;
  let admin: string;
  let user: { username: string; password: string; token: string };
  /** One account per parallel login: an account's attempts in flight count against its lockout. */
  let accounts: { username: string; password: string }[];

  beforeAll(async () => {
    system = await startTestSystem({ env: ADMIN_ENV, services: { identity: 2, tokens: 2 } });
    other = await startExtraGateway(system.instance);
    bus = await openBus(system);
    admin = await adminToken(system);
    user = await registerAndLogin(system);
    accounts = await Promise.all(Array.from({ length: CALLS }, () => registerAndLogin(system)));
  });
  afterAll(async () => {
    await bus?.close();
    await other?.stop();
    await system?.stop();
  });

  const gateways = (): Api[] => [system, other];
  const everywhere = <T>(call: (api: Api, i: number) => Promise<T>) =>
    Promise.all(Array.from({ length: CALLS }, (_, i) => call(gateways()[i % 2]!, i)));
  /** Token lifetimes of fresh logins, as the tokens replicas sign them. */
  const lifetimes = async () =>
    (await everywhere((api, i) => login(api, accounts[i]!, freshDevice()))).map((r) =>
      r.status === 200 ? (r.body as Issued).expires_in : r.body,
    );
  /** Whether identity replicas refuse a 16-character password. */
  const shortPasswordAnswers = async () =>
    (await everywhere((api) => api.post<ErrorReply>('/register', { ...newUser('live'), password: randomBytes(8).toString('hex') }))).map(
      (r) => r.status,
    );
  const meAnswers = async () => (await everywhere((api) => whoAmI(api, user.token))).map((r) => r.status);
  const running = () =>
    system.processes
      .filter((p) => p.exit === undefined)
      .map((p) => p.child.pid)
      .sort();

  it('a change through one gateway is in force on the other and on every identity and tokens replica within a second', async () => {
    expect(await lifetimes()).toEqual(Array(CALLS).fill(3600));
    expect(await shortPasswordAnswers()).toEqual(Array(CALLS).fill(201));
    expect(await meAnswers()).toEqual(Array(CALLS).fill(200));
    const before = running();
    expect(before).toHaveLength(system.processes.length);

    await changeSettings(other, admin, { token_ttl: 600, password_min_length: 20, access: { 'GET /me': ['administrator'] } });
    const changedAt = Date.now();
    const appliedAt = await eventually(
      async () => {
        const started = Date.now();
        const [ttls, registrations, me] = await Promise.all([lifetimes(), shortPasswordAnswers(), meAnswers()]);
        const applied = ttls.every((ttl) => ttl === 600) && registrations.every((s) => s === 400) && me.every((s) => s === 403);
        return applied ? started : undefined;
      },
      2000,
      'the change on every gateway and replica',
    );
    expect(appliedAt - changedAt).toBeLessThan(1000);
    expect(running()).toEqual(before);
  });

  it('a change committed but never written to the bucket is written when identity starts again', async () => {
    await changeSettings(system, admin, { token_ttl: 900 });
    await eventually(async () => ((await lifetimes()).every((ttl) => ttl === 900) ? true : undefined), 1000, 'token_ttl 900');
    // The bucket as identity would leave it, dying after its commit and before its write: the value before.
    await bus.setSetting('token_ttl', 600);
    await eventually(async () => ((await lifetimes()).every((ttl) => ttl === 600) ? true : undefined), 1000, 'the stale bucket');

    await system.restart('identity');
    await eventually(async () => ((await lifetimes()).every((ttl) => ttl === 900) ? true : undefined), 1000, 'token_ttl 900 again');
    expect((await readSettings(system, admin)).body.token_ttl).toBe(900);
  });
});
