import type { UserView } from './contract.js';

/** The signed-in state the client keeps and stores. Times are this device's clock, in ms. */
export interface Session {
  token: string;
  /** The token's session (`sid`): the same across refreshes, another for another login. */
  sessionId: string;
  /** When the token was received, and when it expires, by this device's clock. */
  issuedAt: number;
  expiresAt: number;
  /** Whether the server said it may be refreshed (`/login`'s profile answer does not say; taken as yes). */
  refreshable: boolean;
  user: UserView;
}

/** What every answer that signs in carries. */
export interface Issued {
  token: string;
  expires_in: number;
  refreshable?: boolean;
  user: UserView;
}

/**
 * The session of a token answer. The lifetime is the answer's `expires_in` counted from now, not
 * the token's `exp`: a device whose clock is off still refreshes in time.
 */
export function sessionOf(issued: Issued, now: number): Session {
  const claims = claimsOf(issued.token);
  return {
    token: issued.token,
    sessionId: typeof claims.sid === 'string' ? claims.sid : '',
    issuedAt: now,
    expiresAt: now + issued.expires_in * 1000,
    refreshable: issued.refreshable ?? true,
    user: issued.user,
  };
}

/** A token's claims, unverified: the server verifies; the client only reads `sid` and `jti`. */
export function claimsOf(token: string): Record<string, unknown> {
  try {
    const part = token.split('.')[1] ?? '';
    const binary = atob(part.replace(/-/g, '+').replace(/_/g, '/'));
    const value: unknown = JSON.parse(new TextDecoder().decode(Uint8Array.from(binary, (c) => c.charCodeAt(0))));
    return value !== null && typeof value === 'object' ? (value as Record<string, unknown>) : {};
  } catch {
    return {};
  }
}

/** A stored session, or null for anything that is not one (another version, a hand edit). */
export function parseSession(text: string | null | undefined): Session | null {
  if (!text) return null;
  try {
    const s = JSON.parse(text) as Session;
    return typeof s.token === 'string' && typeof s.expiresAt === 'number' && typeof s.issuedAt === 'number' && s.user ? s : null;
  } catch {
    return null;
  }
}

/**
 * When to refresh: `margin` before expiry, but never sooner than a tenth of the token's lifetime
 * after it came, so a margin longer than the lifetime cannot rotate tokens in a loop.
 */
export function refreshDelay(session: Session, margin: number, now: number): number {
  const lifetime = session.expiresAt - session.issuedAt;
  return Math.max(0, Math.max(session.expiresAt - margin, session.issuedAt + lifetime / 10) - now);
}
