import { describe, expect, it } from 'vitest';
import type { TestSystem } from './support/system.js';
import {
  type Bus,
  claimsOf,
  freshDevice,
  loggedIn,
  login,
  refresh,
  register,
  resign,
  validate,
  withTokensSystem,
} from './support/tokens.js';
import { eventually } from './support/users.js';

/**
 * The token settings are read live from the settings bucket: a change shows in the next login or
 * refresh, without a restart. One tokens replica, so its settings watcher applies puts in order.
 */
describe('token settings, read live', () => {
  let system: TestSystem;
  let bus: Bus;

  withTokensSystem((started, opened) => {
    system = started;
    bus = opened;
  });

  const session = async () => loggedIn(login(system, await register(system), freshDevice()));
  /** Polls logins until their `expires_in` shows `ttl`: the tokens service has applied the put. */
  const tokenTtlApplied = (ttl: number) =>
    eventually(async () => ((await session()).expires_in === ttl ? true : undefined), 10_000, `token_ttl ${ttl}`);

  it('token_ttl shows in expires_in, expiration and exp of logins and refreshes', async () => {
    const before = await session();
    expect(before.expires_in).toBe(3600);
    await bus.setSetting('token_ttl', 120);
    await tokenTtlApplied(120);

    const after = await session();
    const claims = claimsOf(after.token);
    expect(after.expires_in).toBe(120);
    expect(claims.exp! - claims.iat!).toBe(120);
    expect(Date.parse(after.expiration) / 1000).toBe(claims.exp);
    const child = await refresh(system, after.token);
    expect(child.body.expires_in).toBe(120);
    // A token issued before the change keeps the lifetime it was signed with, and still validates.
    expect((await validate(system, before.token)).body).toMatchObject({ valid: true });
    expect(claimsOf(before.token).exp! - claimsOf(before.token).iat!).toBe(3600);

    await bus.setSetting('token_ttl', 3600);
    await tokenTtlApplied(3600);
  });

  it('refresh_grace 0: the parent presented again is reuse, not the same child', async () => {
    /** Presents the parent again right after its refresh: 401 once no grace is left. */
    const parentAgain = async () => {
      const first = await session();
      const child = await refresh(system, first.token);
      expect(child.status).toBe(200);
      return (await refresh(system, first.token)).status;
    };
    expect(await parentAgain()).toBe(200);
    await bus.setSetting('refresh_grace', 0);
    await eventually(async () => ((await parentAgain()) === 401 ? true : undefined), 10_000, 'refresh_grace 0');
    // Every time, not only when the second ticked over between the two refreshes.
    for (let i = 0; i < 8; i++) expect(await parentAgain()).toBe(401);

    await bus.setSetting('refresh_grace', 10);
    await eventually(async () => ((await parentAgain()) === 200 ? true : undefined), 10_000, 'refresh_grace 10');
  });

  it('refresh_ttl bounds the refresh window: an expired token refreshes inside it, never past it', async () => {
    // refresh_ttl first: the watcher applies puts in order, so token_ttl seen means both are.
    await bus.setSetting('refresh_ttl', 60);
    await bus.setSetting('token_ttl', 60);
    await tokenTtlApplied(60);
    const first = await session();
    const now = Math.floor(Date.now() / 1000);
    const expired = await resign(first.token, { iat: now - 120, nbf: now - 120, exp: now - 30 });
    const inside = await refresh(system, expired);
    expect(inside.status).toBe(200);
    expect(inside.body.refreshable).toBe(true);

    // The window (60 s from login) closes with the token's own expiry (60 s): wait for that.
    await eventually(
      async () => ((await validate(system, inside.body.token)).body.code === 'headlesskey_token_expired' ? true : undefined),
      90_000,
      'the token to expire',
    );
    const past = await refresh(system, inside.body.token);
    expect(past.status).toBe(401);
    expect(past.body).toMatchObject({ code: 'headlesskey_token_expired', data: { valid: false } });
    const forgedFresh = await resign(inside.body.token, { exp: Math.floor(Date.now() / 1000) + 600 });
    expect((await refresh(system, forgedFresh)).body.code).toBe('headlesskey_token_expired');
  }, 120_000);
});
