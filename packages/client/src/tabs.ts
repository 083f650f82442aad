import type { Session } from './session.js';

/**
 * What tabs of one origin share: a lock, so one of them at a time refreshes, and a channel, so
 * the others hear what it did. Both are guarded: Node, edge runtimes and older browsers have
 * neither, and then the client coordinates within its own page only.
 */
export type Lock = <T>(fn: () => Promise<T>) => Promise<T>;

interface LockManagerLike {
  request<T>(name: string, callback: () => Promise<T>): Promise<T>;
}

/**
 * The Web Lock `name` where there is one (every tab of the origin waits its turn), else a queue
 * of this page's own. Either way, calls run one after the other.
 */
export function tabLock(name: string, locks: LockManagerLike | undefined = webLocks()): Lock {
  if (locks) return (fn) => locks.request(name, fn);
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
