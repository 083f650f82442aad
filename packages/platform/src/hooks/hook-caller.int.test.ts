import { DEFAULT_SETTINGS, type HookPolicy, hooks, type Settings } from '@headlesskey/contracts';
import { connect, type Msg, type NatsConnection, type Subscription } from '@nats-io/transport-node';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { backendUrls, uniqueInstance } from '../../../../test/support/instance.js';
import { decodeJson, encodeJson } from '../bus/codec.js';
import { createLogger } from '../logging/logger.js';
import type { SettingsReader } from '../settings/settings-reader.js';
import { createHookCaller, type HookCaller } from './hook-caller.js';

const names = uniqueInstance();
const context = { ip: '192.0.2.1', userAgent: 'test', requestId: 'r1' };
const user = { ID: 7, user_login: 'ada', user_email: 'ada@example.com', display_name: 'Ada', roles: ['subscriber' as const] };
const ask = () => caller.call(hooks.loginAllow, { user, context });

let nc: NatsConnection;
let hookBus: NatsConnection;
let caller: HookCaller;
let subs: Subscription[] = [];
/** The live settings the caller reads; each test sets the login hook's policy. */
let settings: Settings = { ...DEFAULT_SETTINGS };
const reader: SettingsReader = { current: () => settings, stop: async () => {} };
const policy = (loginAllow: HookPolicy) => {
  settings = { ...DEFAULT_SETTINGS, hooks: { 'login.allow': loginAllow } };
};

/** A subscriber of the login hook, answering each request with `answer` (or not at all). */
async function subscribe(answer: (msg: Msg) => Uint8Array | undefined): Promise<unknown[]> {
  const seen: unknown[] = [];
  const sub = hookBus.subscribe(names.hook('login.allow'), {
    callback: (_err, msg) => {
      seen.push(decodeJson(msg.data));
      const out = answer(msg);
      if (out) msg.respond(out);
    },
  });
  subs.push(sub);
  await hookBus.flush();
  return seen;
}

beforeAll(async () => {
  nc = await connect({ servers: backendUrls().natsUrl });
  hookBus = await connect({ servers: backendUrls().natsUrl });
  caller = createHookCaller(nc, names, reader, createLogger('test', 'silent'));
});
afterEach(async () => {
  for (const sub of subs) sub.unsubscribe();
  subs = [];
  await hookBus.flush();
});
afterAll(async () => {
  await nc?.close();
  await hookBus?.close();
});

describe('createHookCaller', () => {
  it('skips a hook nobody subscribes to at once, even with a long timeout that fails closed', async () => {
    policy({ timeout_ms: 5000, fail: 'closed' });
    const started = performance.now();
    expect(await ask()).toEqual({ status: 'skipped' });
    expect(performance.now() - started).toBeLessThan(1000);
  });

  it("answers the subscriber's reply and sends it the payload as given", async () => {
    const seen = await subscribe(() => encodeJson({ allow: false, message: 'Not today.' }));
    expect(await ask()).toEqual({ status: 'answered', reply: { allow: false, message: 'Not today.' } });
    expect(seen).toEqual([{ user, context }]);
  });

  it('fails a subscriber that does not answer in time as the setting says: open skips, closed is unavailable', async () => {
    await subscribe(() => undefined);
    policy({ timeout_ms: 50, fail: 'open' });
    expect(await ask()).toEqual({ status: 'skipped' });
    policy({ timeout_ms: 50, fail: 'closed' });
    expect(await ask()).toEqual({ status: 'unavailable' });
  });

  it.each([
    ['breaks the schema', () => encodeJson({ allow: 'yes' })],
    ['is not JSON', () => new TextEncoder().encode('{allow')],
    ['is too large', () => encodeJson({ allow: true, padding: 'x'.repeat(5000) })],
  ])('treats a reply that %s as a failure', async (_what, reply) => {
    await subscribe(reply);
    policy({ timeout_ms: 1000, fail: 'closed' });
    expect(await ask()).toEqual({ status: 'unavailable' });
    policy({ timeout_ms: 1000, fail: 'open' });
    expect(await ask()).toEqual({ status: 'skipped' });
  });

  it('applies the policy its caller pinned, whatever the live setting says by then', async () => {
    await subscribe(() => undefined);
    policy({ timeout_ms: 50, fail: 'closed' });
    expect(await caller.call(hooks.loginAllow, { user, context }, { timeout_ms: 50, fail: 'open' })).toEqual({ status: 'skipped' });
    policy({ timeout_ms: 50, fail: 'open' });
    const pinned = { timeout_ms: 50, fail: 'closed' } as const;
    expect(
      await caller.callEach(
        hooks.loginAllow,
        [
          { user, context },
          { user, context },
        ],
        pinned,
      ),
    ).toEqual([{ status: 'unavailable' }, { status: 'unavailable' }]);
  });

  it('uses the default policy of a hook the setting leaves out', async () => {
    await subscribe(() => undefined);
    settings = { ...DEFAULT_SETTINGS, hooks: { 'token.claims': { timeout_ms: 10, fail: 'open' } } };
    // login.allow keeps its default: fail closed, after its default timeout.
    const started = performance.now();
    expect(await ask()).toEqual({ status: 'unavailable' });
    expect(performance.now() - started).toBeGreaterThanOrEqual(DEFAULT_SETTINGS.hooks['login.allow']!.timeout_ms - 50);
  });

  describe('callEach', () => {
    const users = [1, 2, 3].map((ID) => ({ ...user, ID, user_login: `u${ID}` }));
    const askEach = () =>
      caller.callEach(
        hooks.loginAllow,
        users.map((u) => ({ user: u, context })),
      );

    it('skips every request of a batch at once when nobody subscribes', async () => {
      policy({ timeout_ms: 5000, fail: 'closed' });
      const started = performance.now();
      expect(await askEach()).toEqual(users.map(() => ({ status: 'skipped' })));
      expect(performance.now() - started).toBeLessThan(1000);
    });

    it('asks the subscriber about each request and answers each in its place', async () => {
      policy({ timeout_ms: 1000, fail: 'closed' });
      const seen = await subscribe((msg) => {
        const { user: asked } = decodeJson(msg.data) as { user: { ID: number } };
        return asked.ID === 2 ? encodeJson({ allow: false, message: 'Not you.' }) : encodeJson({ allow: true });
      });
      expect(await askEach()).toEqual([
        { status: 'answered', reply: { allow: true } },
        { status: 'answered', reply: { allow: false, message: 'Not you.' } },
        { status: 'answered', reply: { allow: true } },
      ]);
      expect(seen).toHaveLength(3);
    });
  });
});
