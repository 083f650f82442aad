import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestSystem, type TestSystem } from './support/system.js';
import { eventually, newUser } from './support/users.js';

/**
 * After a slow spell (a CPU spike) identity refuses logins that could not end in time, but once
 * bcrypt is fast again logins get through within seconds by themselves: the estimate that
 * refused them fades, and the work it lets through times bcrypt afresh. The spell is made with
 * identity's test-only delay file (every bcrypt first waits the milliseconds it holds).
 */
describe('password checks after a slow spell', () => {
  const TIMEOUT_MS = 2000;
  let dir: string;
  let delayFile: string;
  let system: TestSystem;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'hk-bcrypt-delay-'));
    delayFile = join(dir, 'delay-ms');
    await writeFile(delayFile, '0');
    system = await startTestSystem({
      env: {
        // The hook is taken only beside NODE_ENV=test.
        NODE_ENV: 'test',
        HEADLESSKEY_TEST_ONLY_BCRYPT_DELAY_FILE: delayFile,
        HEADLESSKEY_COMMAND_TIMEOUT_MS: String(TIMEOUT_MS),
      },
    });
  });
  afterAll(async () => {
    await system?.stop();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('answers logins again within seconds once bcrypt is fast, with nothing else to re-time it', async () => {
    const user = newUser('spike');
    expect((await system.post('/register', user)).status).toBe(201);
    const login = () => system.post<{ code?: string }>('/token', { username: user.username, password: user.password });
    expect((await login()).status).toBe(200);

    // The spike: four checks at once, each 3 s, longer than the gateway waits.
    await writeFile(delayFile, '3000');
    const slow = await Promise.all([login(), login(), login(), login()]);
    expect(slow.map((r) => r.status)).toEqual([503, 503, 503, 503]);
    // Identity has timed them (3 s each): a login now could not end in time and is refused.
    await eventually(async () => {
      const refused = await login();
      return refused.status === 503 && refused.body.code === 'headlesskey_unavailable' ? true : undefined;
    });

    // The spike is over. Nothing but logins arrives; they must get through on their own.
    await writeFile(delayFile, '0');
    const since = Date.now();
    // Recovered means logins keep getting through: two in a row. (A check begun in the spell still
    // ends 3 s after it began and is timed then; until the estimate fades again, that can refuse
    // one more login after a first success.)
    const twoInARow = async () => ((await login()).status === 200 && (await login()).status === 200 ? true : undefined);
    await eventually(twoInARow, 15_000, 'two logins in a row to succeed');
    expect(Date.now() - since).toBeLessThan(10_000);
  }, 60_000);
});
