import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestSystem, type TestSystem } from './support/system.js';
import { type ErrorReply, login, refresh } from './support/tokens.js';
import { registerAndLogin } from './support/users.js';

/**
 * Logins and refreshes of one user's sessions on one device, all at once: the logins take the
 * device's session back while the gateway's refresh batches rotate the same sessions. Whatever
 * order their writes meet in, each request gets its own answer and none a 5xx.
 */
describe('logins and refreshes racing on one user and device', () => {
  let system: TestSystem;

  beforeAll(async () => {
    system = await startTestSystem();
  });
  afterAll(async () => {
    await system?.stop();
  });

  it('answers every request without a server error', async () => {
    const user = await registerAndLogin(system, {}, 'race');
    const devices = ['phone', 'laptop', 'tablet'];
    const tokens = await Promise.all(
      devices.map(async (device) => {
        const reply = await login(system, user, device);
        if (reply.status !== 200) throw new Error(`login answered ${reply.status}`);
        return reply.body.token;
      }),
    );
    const logins: { status: number; body: ErrorReply }[] = [];
    const refreshes: { status: number; body: ErrorReply }[] = [];
    for (let round = 0; round < 8; round++) {
      const roundLogins = devices.flatMap((device) => Array.from({ length: 4 }, () => login(system, user, device)));
      const roundRefreshes = tokens.flatMap((token) => Array.from({ length: 6 }, () => refresh(system, token)));
      const answered = await Promise.all([...roundLogins, ...roundRefreshes]);
      logins.push(...answered.slice(0, roundLogins.length));
      refreshes.push(...answered.slice(roundLogins.length));
      // The next round refreshes the tokens the logins of this one handed out.
      for (const i of devices.keys()) {
        const fresh = answered.slice(i * 4, i * 4 + 4).find((r) => r.status === 200);
        if (fresh) tokens[i] = fresh.body.token;
      }
    }
    const failed = [...logins, ...refreshes].filter((r) => r.status >= 500).map((r) => ({ status: r.status, code: r.body.code }));
    expect(failed).toEqual([]);
    // A login takes its device's session back, or is refused while more than `max_attempts` of
    // the account's logins are in flight from one address (each counts before its check). A refresh
    // wins or loses its race with them (a session re-opened, a token rotated): which, depends on timing.
    for (const r of logins) expect([200, 429], JSON.stringify(r.body)).toContain(r.status);
    expect(logins.some((r) => r.status === 200)).toBe(true);
    for (const r of refreshes) expect([200, 401], JSON.stringify(r.body)).toContain(r.status);
    expect(refreshes.filter((r) => r.status === 401).every((r) => r.body.code === 'headlesskey_token_revoked')).toBe(true);
    expect(refreshes.some((r) => r.status === 200)).toBe(true);
  });
});
