// Helpers of the unit tests, never part of the package (tsconfig leaves `*.unit.ts` out).
import { vi } from 'vitest';
import type { TokenReply, UserView } from './contract.js';
import { HeadlessKeyError } from './errors.js';
import type { Api } from './routes.js';
import { type KeeperOptions, SessionKeeper } from './session-keeper.js';
import { memoryStore } from './store.js';
import type { Channel, LockManagerLike, TabMessage } from './tabs.js';

export const USER: UserView = { ID: 7, user_login: 'ada', user_email: 'ada@example.com', display_name: 'Ada', roles: ['subscriber'] };

const b64url = (value: unknown) => btoa(JSON.stringify(value)).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');

let serial = 0;
/** An unsigned token of the shape the server issues: the client only reads its claims. */
export const tokenFor = (claims: Record<string, unknown> = {}) =>
  `${b64url({ alg: 'HS256', typ: 'JWT' })}.${b64url({ sid: 'sid-1', jti: `jti-${++serial}`, ...claims })}.sig`;

export const reply = (over: Partial<TokenReply> = {}): TokenReply => ({
  token: tokenFor(),
  expiration: '2030-01-01T00:00:00+00:00',
  expires_in: 3600,
  refreshable: true,
  jti: `jti-${serial}`,
  user: USER,
  ...over,
});

export const refused = (code: HeadlessKeyError['code'], status = 401) => new HeadlessKeyError(code, status, code, { status });

/** An API whose refresh rotates like the server: each token once, a rotated one refused as revoked. */
export function fakeApi(over: Partial<Api> = {}) {
  const rotated = new Set<string>();
  const refresh = vi.fn(async (token: string) => {
    await Promise.resolve();
    if (rotated.has(token)) throw refused('headlesskey_token_revoked');
    rotated.add(token);
    return reply();
  });
  return { refresh, ...over } as unknown as Api & { refresh: typeof refresh };
}

/** The storage key of the tests' keepers. */
export const KEY = 'hk';

/** One tab's keeper on a store of its own, talking to no other tab, refreshing only when asked: `over` changes that. */
export const keeperFor = (api: Api, over: Partial<KeeperOptions> = {}) =>
  new SessionKeeper({
    api,
    store: memoryStore(),
    key: KEY,
    refreshMargin: 60_000,
    autoRefresh: false,
    now: Date.now,
    channel: false,
    ...over,
  });

/** A BroadcastChannel stand-in: what one member posts, every other member hears, later. */
export function fakeBroadcast() {
  const members = new Set<(message: TabMessage) => void>();
  return (receive: (message: TabMessage) => void): Channel => {
    const deliver = (message: TabMessage) => queueMicrotask(() => receive(message));
    members.add(deliver);
    return {
      post: (message) => {
        for (const member of members) if (member !== deliver) member(message);
      },
      close: () => void members.delete(deliver),
    };
  };
}

/** A BroadcastChannel stand-in whose messages wait for `deliver()`: news of another tab that is late. */
export function lateBroadcast() {
  const members = new Set<(message: TabMessage) => void>();
  const pending: (() => void)[] = [];
  const connect = (receive: (message: TabMessage) => void): Channel => {
    members.add(receive);
    return {
      post: (message) => {
        for (const member of members) if (member !== receive) pending.push(() => member(message));
      },
      close: () => void members.delete(receive),
    };
  };
  const deliver = () => {
    for (const send of pending.splice(0)) send();
  };
  return { connect, deliver };
}

/** A `navigator.locks` stand-in shared by the tabs of a test: exclusive locks, granted in the order asked. */
export function fakeLocks(): LockManagerLike {
  const held = new Set<string>();
  const waiting = new Map<string, (() => void)[]>();
  return {
    async request(name, options, callback) {
      if (held.has(name)) {
        if (options.ifAvailable) return callback(null);
        await new Promise<void>((granted) => waiting.set(name, [...(waiting.get(name) ?? []), granted]));
      }
      held.add(name);
      try {
        return await callback({ name });
      } finally {
        const next = waiting.get(name)?.shift();
        if (next) next();
        else held.delete(name);
      }
    },
    query: async () => ({ held: [...held].map((name) => ({ name })) }),
  };
}
