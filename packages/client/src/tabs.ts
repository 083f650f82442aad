import { claimsOf, type Session } from './session.js';

/**
 * What tabs of one origin share: a lock, so one of them at a time refreshes, a channel, so the
 * others hear what it did, and marks of the tokens rotated lately. All are guarded: Node, edge
 * runtimes and older browsers have neither Web Locks nor a channel, and then the client
 * coordinates within its own page only.
 */
export type Lock = <T>(fn: () => Promise<T>) => Promise<T>;

/** What the client uses of `navigator.locks`. */
export interface LockManagerLike {
  request<T>(name: string, options: { mode: 'exclusive'; ifAvailable?: boolean }, callback: (lock: unknown) => Promise<T>): Promise<T>;
  query(): Promise<{ held?: { name?: string }[] }>;
}

/**
 * The Web Lock `name` where there is one (every tab of the origin waits its turn), else a queue
 * of this page's own. Either way, calls run one after the other.
 */
export function tabLock(name: string, locks: LockManagerLike | undefined = webLocks()): Lock {
  if (locks) return (fn) => locks.request(name, { mode: 'exclusive' }, fn);
  let tail: Promise<unknown> = Promise.resolve();
  return (fn) => {
    const run = tail.then(fn, fn);
    tail = run.catch(() => undefined);
    return run;
  };
}

function webLocks(): LockManagerLike | undefined {
  const nav = (globalThis as { navigator?: { locks?: LockManagerLike } }).navigator;
  return typeof nav?.locks?.request === 'function' ? nav.locks : undefined;
}

/**
 * How long a tab holds the mark of a token it rotated. The news of a rotation reaches the other
 * tabs within milliseconds (seconds on a loaded machine); a minute is far beyond that, and short
 * enough that a tab open for days does not pile up one held lock per rotation.
 */
const MARK_MS = 60_000;

/**
 * Which tokens a tab of the origin rotated lately, as held Web Locks named `<prefix><jti>`. The
 * lock manager orders them with the refresh lock, so a tab granted that lock after another
 * rotated a token sees the mark even when neither the message nor the store has reached it.
 */
export interface RotationMarks {
  /** Marks `token` as rotated by this tab, for a minute; resolves once the mark is held, or could not be. Never rejects. */
  mark(token: string): Promise<void>;
  /** Whether a tab of the origin holds the mark of `token`. */
  marked(token: string): Promise<boolean>;
}

/** Marks kept as Web Locks, or none where there are no Web Locks (nothing is ever marked). */
export function rotationMarks(prefix: string, locks: LockManagerLike | undefined = webLocks()): RotationMarks {
  if (!locks) return { mark: async () => undefined, marked: async () => false };
  return {
    async mark(token) {
      // A mark that cannot be taken costs only the protection it adds: never the new session.
      const id = await tokenId(token).catch(() => undefined);
      if (id === undefined) return;
      await new Promise<void>((held) => {
        // ifAvailable: a mark already held says the same, and waiting for it would stall the refresh lock.
        const hold = (lock: unknown) => {
          held();
          return lock ? new Promise<void>((release) => unref(setTimeout(release, MARK_MS))) : Promise.resolve();
        };
        locks.request(prefix + id, { mode: 'exclusive', ifAvailable: true }, hold).catch(() => held());
      });
    },
    async marked(token) {
      const name = prefix + (await tokenId(token));
      const { held = [] } = await locks.query();
      return held.some((lock) => lock.name === name);
    },
  };
}

/** A token's `jti`, else its digest: the token itself never names a lock, which any script of the origin can list. */
async function tokenId(token: string): Promise<string> {
  const { jti } = claimsOf(token);
  if (typeof jti === 'string' && jti) return jti;
  const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(token)));
  return btoa(String.fromCharCode(...digest));
}

/** A pending timer never keeps a Node process alive. */
function unref(timer: ReturnType<typeof setTimeout>): void {
  (timer as { unref?: () => void }).unref?.();
}

/**
 * What one tab tells the others: which change, to which session (`sessionId`), from which tab, and
 * the session it left. The session travels in the message because another tab's view of
 * `localStorage` may not show the write yet when the message arrives (Chromium syncs storage
 * between processes on its own schedule).
 */
export interface TabMessage {
  kind: 'signed_in' | 'refreshed' | 'signed_out' | 'session_ended';
  from: string;
  sessionId: string | undefined;
  session: Session | null;
}

export interface Channel {
  post(message: TabMessage): void;
  close(): void;
}

/** A `BroadcastChannel` of the origin, or a channel that reaches nobody where there is none. */
export function tabChannel(name: string, receive: (message: TabMessage) => void): Channel {
  const Broadcast = (globalThis as { BroadcastChannel?: typeof BroadcastChannel }).BroadcastChannel;
  if (typeof Broadcast !== 'function') return { post() {}, close() {} };
  const channel = new Broadcast(name);
  channel.onmessage = (event: MessageEvent<TabMessage>) => receive(event.data);
  return {
    post: (message) => channel.postMessage(message),
    close: () => channel.close(),
  };
}
