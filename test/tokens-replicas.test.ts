import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ExtraGateway, startExtraGateway } from './support/gateway.js';
import { startTestSystem, type TestSystem } from './support/system.js';
import {
  ADMIN,
  type Api,
  type Bus,
  bearer,
  claimsOf,
  del,
  freshDevice,
  headerOf,
  type Issued,
  loggedIn,
  login,
  openBus,
  refresh,
  register,
  resign,
  revoke,
  TOKENS_ENV,
  validate,
} from './support/tokens.js';
import { eventually } from './support/users.js';

const REVOKED = { code: 'headlesskey_token_revoked', data: { valid: false } };

/**
 * Two gateways in front of two tokens replicas of one instance: whatever one of them answers
 * (a revoke, a refresh, an end-all), the very next validate through the other already knows.
 */
describe('tokens across gateways and replicas', () => {
  let system: TestSystem;
  let other: ExtraGateway;
  let bus: Bus;
  let adminToken: string;

  beforeAll(async () => {
    system = await startTestSystem({ env: TOKENS_ENV, services: { tokens: 2 } });
    other = await startExtraGateway(system.instance, TOKENS_ENV);
    bus = await openBus(system);
    adminToken = (await loggedIn(login(system, ADMIN, freshDevice('admin')))).token;
  });
  afterAll(async () => {
    await bus?.close();
    await other?.stop();
    await system?.stop();
  });

  const gateways = (): [Api, Api] => [system, other];
  /** Validates through both gateways several times at once: enough calls to reach both replicas. */
  const validateEverywhere = (token: string) =>
    Promise.all(Array.from({ length: 8 }, (_, i) => validate(gateways()[i % 2]!, token).then((r) => r.body)));

  it('runs two tokens replicas behind two gateways', () => {
    expect(system.processes.filter((p) => p.service === 'tokens' && p.exit === undefined)).toHaveLength(2);
    expect(other.apiUrl).not.toBe(system.apiUrl);
  });

  it('a revoke through one gateway is seen by the very next validate through the other, every time', async () => {
    const user = await register(system);
    for (let i = 0; i < 20; i++) {
      const [here, there]: [Api, Api] = i % 2 === 0 ? [system, other] : [other, system];
      const { token } = await loggedIn(login(here, user, freshDevice()));
      expect((await validate(there, token)).status).toBe(200);
      expect((await revoke(here, token)).status).toBe(200);
      for (const answer of await validateEverywhere(token)) expect(answer).toMatchObject(REVOKED);
      expect((await there.get('/me', bearer(token))).body).toMatchObject(REVOKED);
    }
  });

  it('a refresh through one gateway kills the parent for the other at once', async () => {
    const user = await register(system);
    let current = await loggedIn(login(system, user, freshDevice()));
    for (let i = 0; i < 10; i++) {
      const [here, there]: [Api, Api] = i % 2 === 0 ? [system, other] : [other, system];
      const child = await refresh(here, current.token);
      expect(child.status).toBe(200);
      for (const answer of await validateEverywhere(current.token)) expect(answer).toMatchObject(REVOKED);
      expect((await validate(there, child.body.token)).status).toBe(200);
      current = child.body;
    }
  });

  it('two tabs racing through different gateways get the same child', async () => {
    for (let i = 0; i < 5; i++) {
      const first = await loggedIn(login(system, await register(system), freshDevice()));
      const [a, b] = await Promise.all([refresh(system, first.token), refresh(other, first.token)]);
      expect([a.status, b.status]).toEqual([200, 200]);
      expect(a.body.jti).toBe(b.body.jti);
      for (const answer of await validateEverywhere(a.body.token)) expect(answer).toMatchObject({ valid: true });
    }
  });

  it('reuse detected through one gateway ends the session for the other', async () => {
    const t0 = await loggedIn(login(system, await register(system), freshDevice()));
    const t1 = (await refresh(system, t0.token)).body;
    const t2 = (await refresh(other, t1.token)).body;
    expect((await refresh(system, t0.token)).body).toMatchObject(REVOKED);
    for (const answer of await validateEverywhere(t2.token)) expect(answer).toMatchObject(REVOKED);
  });

  it('an administrator’s end-all through one gateway is final for every token through the other', async () => {
    const user = await register(system);
    const held = await Promise.all(Array.from({ length: 4 }, (_, i) => loggedIn(login(gateways()[i % 2]!, user, freshDevice()))));
    const ended = await del(other, `/users/${user.id}/sessions`, bearer(adminToken));
    expect(ended).toMatchObject({ status: 200, body: { ended: 4 } });
    for (const t of held) for (const answer of await validateEverywhere(t.token)) expect(answer).toMatchObject(REVOKED);
  });

  it('N+1 parallel logins through both gateways never leave more than N live sessions', async () => {
    await bus.setSetting('device_policy', 'reject');
    await bus.setSetting('device_limit', 2);
    const probe = await register(system, 'probe');
    await loggedIn(login(system, probe, freshDevice()));
    await loggedIn(login(system, probe, freshDevice()));
    // Both replicas refuse the third device once they both have the limit.
    await eventually(
      async () => {
        const replies = await Promise.all(Array.from({ length: 4 }, (_, i) => login(gateways()[i % 2]!, probe, freshDevice())));
        return replies.every((r) => r.status === 409) ? true : undefined;
      },
      10_000,
      'device_limit 2 on every replica',
    );
    for (let round = 0; round < 3; round++) {
      const user = await register(system);
      const replies = await Promise.all(Array.from({ length: 3 }, (_, i) => login(gateways()[i % 2]!, user, freshDevice('race'))));
      const ok = replies.filter((r) => r.status === 200).map((r) => r.body as Issued);
      expect(ok).toHaveLength(2);
      const valid = await Promise.all(ok.map((t) => validate(other, t.token)));
      expect(valid.map((v) => v.status)).toEqual([200, 200]);
    }
    await bus.setSetting('device_limit', 0);
  });

  it('an algorithm switch: the first token of a new key validates on every replica at once', async () => {
    const user = await register(system);
    const known = await loggedIn(login(system, user, freshDevice()));
    // A kid nobody knows makes each replica reload its keys: the worst moment for a new key to appear.
    const unknownKid = await resign(known.token, {}, { kid: 'no-such-key' });
    await bus.setSetting('algorithm', 'ES256');
    const firstOfNewKey = async () => {
      await Promise.all(Array.from({ length: 4 }, (_, i) => validate(gateways()[i % 2]!, unknownKid)));
      const { token } = await loggedIn(login(gateways()[0], user, freshDevice()));
      for (const answer of await validateEverywhere(token))
        expect(answer).toMatchObject({ valid: true, data: { jti: claimsOf(token).jti } });
      return headerOf(token).alg === 'ES256' ? true : undefined;
    };
    await eventually(firstOfNewKey, 10_000, 'the first ES256 token');
    for (let i = 0; i < 10; i++) {
      const { token } = await loggedIn(login(gateways()[i % 2]!, user, freshDevice()));
      expect(headerOf(token).alg).toBe('ES256');
      for (const answer of await validateEverywhere(token)) expect(answer).toMatchObject({ valid: true });
    }
  });

  it('a key rotation: every replica signs with the new key at once, and old and new tokens validate everywhere', async () => {
    const user = await register(system);
    const before = await loggedIn(login(system, user, freshDevice()));
    for (let round = 0; round < 3; round++) {
      const rotated = await other.post<{ kid: string; alg: string }>('/keys/rotate', undefined, bearer(adminToken));
      expect(rotated.status).toBe(200);
      for (let i = 0; i < 4; i++) {
        const { token } = await loggedIn(login(gateways()[i % 2]!, user, freshDevice()));
        expect(headerOf(token).kid).toBe(rotated.body.kid);
        for (const answer of await validateEverywhere(token)) expect(answer).toMatchObject({ valid: true });
      }
    }
    for (const answer of await validateEverywhere(before.token)) expect(answer).toMatchObject({ valid: true });
  });
});
