import { beforeAll, describe, expect, it } from 'vitest';
import type { TestSystem } from './support/system.js';
import { type Bus, batchSizes, bearer, register, resign, revoke, sessionsOf, validate, withTokensSystem } from './support/tokens.js';

/**
 * A busy gateway coalesces concurrent validates into `validateMany` commands. Whatever batch a
 * token lands in, its answer is its own: valid, revoked, expired or forged side by side in one
 * burst each get what a validate alone would have got.
 */
describe('validate under concurrency', () => {
  let system: TestSystem;
  let bus: Bus;
  let batches: number[];

  withTokensSystem((started, opened) => {
    system = started;
    bus = opened;
  });
  beforeAll(async () => {
    batches = await batchSizes(bus, system, 'validateMany');
  });

  it('answers each token of a burst as if it came alone, in fewer commands than requests', async () => {
    const user = await register(system);
    const live = await sessionsOf(system, user, 8);
    const ended = await sessionsOf(system, user, 8);
    for (const { token } of ended) expect((await revoke(system, token)).status).toBe(200);
    const expired = await resign(live[0]!.token, { exp: Math.floor(Date.now() / 1000) - 60 });
    const forged = `${live[1]!.token.slice(0, -4)}AAAA`;
    const expected = new Map<string, string>([
      ...live.map(({ token }) => [token, 'valid'] as const),
      ...ended.map(({ token }) => [token, 'headlesskey_token_revoked'] as const),
      [expired, 'headlesskey_token_expired'],
      [forged, 'headlesskey_invalid_token'],
    ]);
    const burst = Array.from({ length: 10 }, () => [...expected.keys()]).flat();
    batches.length = 0;

    const answers = await Promise.all(
      burst.map(async (token, i) => {
        // Half through /token/validate, half through a protected route's guard.
        const reply = i % 2 === 0 ? await validate(system, token) : await system.get<{ code?: string }>('/me', bearer(token));
        return { token, i, status: reply.status, code: (reply.body as { code?: string }).code };
      }),
    );

    for (const { token, status, code } of answers) {
      const want = expected.get(token);
      if (want === 'valid') expect({ status, code }).toEqual({ status: 200, code: undefined });
      else expect({ status, code }).toEqual({ status: 401, code: want });
    }
    // Every command the burst sent reached this subscriber before the PONG of a flush.
    await bus.nc.flush();
    const sent = batches.reduce((sum, n) => sum + n, 0);
    expect(sent).toBe(burst.length);
    expect(batches.length).toBeLessThan(burst.length);
  });

  it('sees a revocation answered before the validate arrived, in any batch', async () => {
    const user = await register(system);
    for (let round = 0; round < 5; round++) {
      const sessions = await sessionsOf(system, user, 6);
      const [gone, ...kept] = sessions;
      expect((await revoke(system, gone!.token)).status).toBe(200);
      const replies = await Promise.all([gone!, ...kept, gone!, ...kept].map(({ token }) => validate(system, token)));
      for (const [i, reply] of replies.entries()) {
        const isGone = i % sessions.length === 0;
        expect(reply.status).toBe(isGone ? 401 : 200);
        if (isGone) expect(reply.body).toMatchObject({ code: 'headlesskey_token_revoked' });
      }
    }
  });
});
