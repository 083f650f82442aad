import { HeadlessKeyError } from './errors.js';
import { rotatedElsewhere, rotationNews } from './rotation-news.js';
import type { Api } from './routes.js';
import { type Issued, parseSession, refreshDelay, type Session, sessionOf } from './session.js';
import type { TokenStore } from './store.js';
import { type Channel, type Lock, type RotationMarks, rotationMarks, type TabMessage, tabChannel, tabLock } from './tabs.js';

export type AuthEvent = TabMessage['kind'];
export type AuthListener = (event: AuthEvent, session: Session | null) => void;

export interface KeeperOptions {
  api: Api;
  store: TokenStore;
  key: string;
  refreshMargin: number;
  autoRefresh: boolean;
  now: () => number;
  lock?: Lock;
  marks?: RotationMarks;
  /** Builds the channel to the other tabs; none when the client is told not to share. */
  channel?: ((receive: (message: TabMessage) => void) => Channel) | false;
}

/** How long a refresh that failed for want of an answer waits before it tries again. */
const RETRY_MS = 5_000;

/**
 * Keeps one session: in memory, in the store, and in step with the other tabs. Every change of
 * the stored session happens under the tab lock, and a tab holding it reads the store again
 * first, so N tabs whose token expires together rotate it once: the first rotates, the others
 * find the new token stored and take it. A token whose rotation mark another tab holds is never
 * presented again, even before this tab hears of the new one.
 */
export class SessionKeeper {
  private session: Session | null = null;
  private readonly listeners = new Set<AuthListener>();
  private readonly lock: Lock;
  private readonly channel: Channel;
  private readonly id = Math.random().toString(36).slice(2);
  private refreshing: Promise<Session | null> | undefined;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private readonly marks: RotationMarks;
  private readonly news = rotationNews();
  private closed = false;
  readonly ready: Promise<Session | null>;

  constructor(private readonly opts: KeeperOptions) {
    this.lock = opts.lock ?? tabLock(`headlesskey:${opts.key}`);
    this.marks = opts.marks ?? rotationMarks(`headlesskey:${opts.key}:rotated:`);
    const receive = (message: TabMessage) => this.heard(message);
    this.channel =
      opts.channel === false ? { post() {}, close() {} } : (opts.channel ?? ((r) => tabChannel(`headlesskey:${opts.key}`, r)))(receive);
    this.ready = this.read().then((stored) => {
      if (!this.session && stored) this.use(stored);
      return this.session;
    });
  }

  current(): Session | null {
    return this.session;
  }

  onChange(listener: AuthListener): () => void {
    this.listeners.add(listener);
    return () => void this.listeners.delete(listener);
  }

  /** A session from a login, registration or exchange: stored, announced, kept fresh. */
  async signIn(issued: Issued): Promise<Session> {
    const next = sessionOf(issued, this.opts.now());
    await this.lock(async () => {
      await this.opts.store.set(this.opts.key, JSON.stringify(next));
      this.settle(next, 'signed_in');
    });
    return next;
  }

  /** Forgets the session here and in every tab that shares it: a logout, or a session found ended. */
  async end(kind: 'signed_out' | 'session_ended'): Promise<void> {
    await this.lock(() => this.forget(kind));
  }

  /**
   * A new token, once however many callers ask at once in this tab or in others. Resolves to the
   * session it leaves (null when the server ended it: `session_ended`); a failure to reach the
   * server rejects and keeps the session, to be tried again.
   */
  refresh(): Promise<Session | null> {
    this.refreshing ??= this.ready
      .then(() => {
        const seen = this.session?.token;
        return this.lock(() => this.rotate(seen));
      })
      .finally(() => {
        this.refreshing = undefined;
      });
    return this.refreshing;
  }

  /**
   * The server refused `presented` as revoked: the session ended, unless another tab rotated the
   * token meanwhile. Resolves to the session to retry with, or null. When another tab rotated it
   * but its news is late, the session is kept and resolved unchanged: nothing to retry with.
   */
  reconcile(presented: string): Promise<Session | null> {
    return this.lock(async () => {
      const stored = await this.read();
      if (stored && stored.token !== presented) return this.adopt(stored);
      if (stored && (await this.marks.marked(presented))) return (await this.replaced(presented)) ?? this.session;
      return this.forget('session_ended');
    });
  }

  close(): void {
    this.closed = true;
    clearTimeout(this.timer);
    this.channel.close();
    this.listeners.clear();
  }

  private async rotate(seen: string | undefined): Promise<Session | null> {
    // Another tab rotated while this one waited, and its message came first.
    if (this.session && this.session.token !== seen) return this.session;
    const stored = await this.read();
    if (!stored) {
      // Another tab signed out; it told the others itself.
      if (this.session) this.use(null, 'signed_out');
      return null;
    }
    // Another tab rotated (or signed in) while this one waited for the lock: take its token.
    if (stored.token !== seen) return this.adopt(stored);
    if (await this.marks.marked(stored.token)) {
      // Rotated by another tab whose news is late. Presenting it again would be reuse, which ends
      // the session: fail as an unreachable server does instead, keeping the session, and try again.
      const next = await this.replaced(stored.token);
      if (next !== undefined) return next;
      this.schedule(RETRY_MS);
      throw rotatedElsewhere();
    }
    let reply: Awaited<ReturnType<Api['refresh']>>;
    try {
      reply = await this.opts.api.refresh(stored.token);
    } catch (err) {
      if (err instanceof HeadlessKeyError && err.status === 401) {
        // Revoked, ended elsewhere, rotated by a tab this one cannot hear, or the refresh window closed.
        return this.forget('session_ended');
      }
      this.schedule(RETRY_MS);
      throw err;
    }
    const next = sessionOf(reply, this.opts.now());
    // Taken before the refresh lock is released: the next tab granted it learns the token is spent.
    await this.marks.mark(stored.token);
    await this.opts.store.set(this.opts.key, JSON.stringify(next));
    this.settle(next, 'refreshed');
    return next;
  }

  /**
   * The session that replaced `token`, which another tab rotated: heard from the channel or read
   * from the store within 3 s, or undefined when neither came.
   */
  private replaced(token: string): Promise<Session | null | undefined> {
    return this.news.wait(async () => {
      if (this.session?.token !== token) return this.session;
      const stored = await this.read();
      return stored && stored.token !== token ? this.adopt(stored) : undefined;
    });
  }

  /** A session another tab stored: taken without telling the others, who heard of it from that tab. */
  private adopt(stored: Session): Session {
    this.use(stored, stored.sessionId === this.session?.sessionId ? 'refreshed' : 'signed_in');
    return stored;
  }

  /**
   * Another tab changed the session: follow it when it is about this tab's session, or is a
   * sign-in. A message older than what this tab holds (they may cross) changes nothing.
   */
  private heard(message: TabMessage): void {
    if (message.from === this.id || this.closed) return;
    const mine = this.session;
    const aboutMine = mine !== null && message.sessionId === mine.sessionId;
    const next = message.session;
    if (next && message.kind === 'signed_in') this.use(next, 'signed_in');
    else if (next && aboutMine && next.issuedAt >= mine.issuedAt) this.use(next, 'refreshed');
    else if (!next && aboutMine) this.use(null, message.kind);
  }

  /** The session after a change this tab made: kept, and announced to the other tabs. */
  private settle(next: Session | null, kind: AuthEvent): void {
    const sessionId = (next ?? this.session)?.sessionId;
    this.use(next, kind);
    this.channel.post({ kind, from: this.id, sessionId, session: next });
  }

  /** Removes the stored session and tells every tab; the caller holds the lock. */
  private async forget(kind: 'signed_out' | 'session_ended'): Promise<null> {
    await this.opts.store.remove(this.opts.key);
    this.settle(null, kind);
    return null;
  }

  /** Takes `next` as the session, once: hearing of a change this tab already took is no change. */
  private use(next: Session | null, kind?: AuthEvent): void {
    if (next?.token === this.session?.token) return;
    this.session = next;
    this.news.heard();
    clearTimeout(this.timer);
    if (next) this.schedule(refreshDelay(next, this.opts.refreshMargin, this.opts.now()));
    if (kind) for (const listener of [...this.listeners]) listener(kind, next);
  }

  private schedule(delay: number): void {
    if (!this.opts.autoRefresh || this.closed || !this.session?.refreshable) return;
    clearTimeout(this.timer);
    this.timer = setTimeout(() => void this.refresh().catch(() => undefined), delay);
    // A pending refresh never keeps a Node process alive.
    (this.timer as { unref?: () => void }).unref?.();
  }

  private async read(): Promise<Session | null> {
    return parseSession(await this.opts.store.get(this.opts.key));
  }
}
