import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Mailbox, startMailbox } from './support/mailbox.js';
import { forgot, mailEnv } from './support/passwords.js';
import type { HttpReply, TestSystem } from './support/system.js';
import { startTestSystem } from './support/system.js';
import { newUser } from './support/users.js';

const ROUNDS = 14;
/** SMTP answers this slowly: a request that waited on it would stand out by this much. */
const SMTP_DELAY_MS = 600;

/**
 * Whether an account exists must show neither in the answer nor in its timing. bcrypt runs at
 * cost 11 here (about 120 ms on our machines, against 1 ms at the harness's cost 4), so a login
 * that skipped the hash for unknown users would stand out well above the noise; the SMTP server
 * is slow for the same reason. Known and unknown requests alternate, so load hits both alike, and
 * the bounds are generous: a fraction of what the leak they guard against would cost.
 */
describe('account enumeration', () => {
  let mailbox: Mailbox;
  let system: TestSystem;

  beforeAll(async () => {
    mailbox = await startMailbox({ delayMs: SMTP_DELAY_MS });
    // Each login comes from its own address through a trusted proxy, so no lock or block interferes.
    system = await startTestSystem({
      env: { ...mailEnv(mailbox.url), HEADLESSKEY_BCRYPT_COST: '11', HEADLESSKEY_TRUSTED_PROXIES: '127.0.0.1' },
    });
  });
  afterAll(async () => {
    await system?.stop();
    await mailbox?.close();
  });

  let clients = 0;
  const from = () => ({ 'x-forwarded-for': `192.0.2.${++clients}` });

  async function timed(send: () => Promise<HttpReply>): Promise<{ reply: HttpReply; ms: number }> {
    const start = performance.now();
    const reply = await send();
    return { reply, ms: performance.now() - start };
  }

  /** Runs known and unknown requests in turn; both answer alike and their medians stay within `bound`. */
  async function compare(
    known: (i: number) => Promise<HttpReply>,
    unknown: (i: number) => Promise<HttpReply>,
    bound: (slower: number) => number,
  ) {
    await known(-1);
    await unknown(-1);
    const k: number[] = [];
    const u: number[] = [];
    for (let i = 0; i < ROUNDS; i++) {
      // ABBA order, so whatever the first of a pair pays (or leaves behind) falls on both sides.
      const a = i % 2 ? undefined : await timed(() => known(i));
      const b = await timed(() => unknown(i));
      const c = a ?? (await timed(() => known(i)));
      expect({ status: b.reply.status, body: b.reply.body }).toEqual({ status: c.reply.status, body: c.reply.body });
      k.push(c.ms);
      u.push(b.ms);
    }
    const [mk, mu] = [median(k), median(u)];
    expect(Math.abs(mk - mu)).toBeLessThan(bound(Math.max(mk, mu)));
    return { known: mk, unknown: mu };
  }

  it('answers a wrong password for a real account exactly as an unknown username, in the same time', async () => {
    const users = Array.from({ length: ROUNDS + 1 }, () => newUser());
    for (const user of users) expect((await system.post('/register', user, from())).status).toBe(201);
    const medians = await compare(
      (i) => system.post('/token', { username: users[i + 1]!.username, password: 'a wrong password' }, from()),
      () => system.post('/token', { username: `nobody_${randomBytes(4).toString('hex')}`, password: 'a wrong password' }, from()),
      // A skipped hash would make the unknown side mostly hash-free, under 30% of the known one;
      // other tests running beside this one move single bcrypts by more than a third.
      (slower) => Math.max(30, 0.4 * slower),
    );
    // The hash ran on both sides: neither answer came back faster than a bcrypt at cost 11.
    expect(Math.min(medians.known, medians.unknown)).toBeGreaterThan(40);
  });

  it('answers forgot-password for an unknown login exactly as for a real one, without waiting on SMTP', async () => {
    const users = Array.from({ length: ROUNDS + 1 }, () => newUser());
    for (const user of users) expect((await system.post('/register', user, from())).status).toBe(201);
    const medians = await compare(
      (i) => forgot(system, users[i + 1]!.email, i % 2 ? 'otp' : 'link'),
      (i) => forgot(system, `nobody_${randomBytes(4).toString('hex')}@example.com`, i % 2 ? 'otp' : 'link'),
      () => SMTP_DELAY_MS / 4,
    );
    expect(Math.max(medians.known, medians.unknown)).toBeLessThan(SMTP_DELAY_MS);
    // The known logins were really mailed: the fast answer did not come from skipping the work.
    await mailbox.nth(users[ROUNDS]!.email, 1, 30_000);
  });
});

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}
