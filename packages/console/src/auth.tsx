import { createClient, type HeadlessKeyClient, memoryStore, type Session, type UserView } from '@headlesskey/client';
import { createContext, type ReactNode, useContext, useEffect, useMemo, useState } from 'react';
import { apiUrl } from './env.js';

/** Only administrators may use the console; the API refuses anyone else its admin routes too. */
const ADMIN_ROLE = 'administrator';

/** A signed-in person who is not an administrator: their token was revoked again. */
export class NotAdministrator extends Error {}

interface Auth {
  client: HeadlessKeyClient;
  session: Session | null;
  user: UserView | null;
  /** Why the last session ended when the person did not sign out (revoked, expired elsewhere). */
  ended: string | null;
  signIn(username: string, password: string): Promise<void>;
  signOut(): Promise<void>;
}

const AuthContext = createContext<Auth | null>(null);

export function useAuth(): Auth {
  const auth = useContext(AuthContext);
  if (!auth) throw new Error('useAuth outside AuthProvider');
  return auth;
}

/**
 * The session lives in memory only (a reload signs out): a token in Web Storage would be readable
 * by any script of the origin. The SDK refreshes it before it expires.
 */
export function AuthProvider({ children }: { children: ReactNode }) {
  const client = useMemo(
    () => createClient({ url: apiUrl(), store: memoryStore(), storageKey: 'headlesskey.console', crossTab: false }),
    [],
  );
  const [session, setSession] = useState<Session | null>(null);
  const [user, setUser] = useState<UserView | null>(null);
  const [ended, setEnded] = useState<string | null>(null);
  useEffect(
    () =>
      client.onAuthStateChange((event, next) => {
        setSession(next);
        if (!next) setUser(null);
        if (event === 'session_ended') setEnded('Your session ended on the server. Sign in again.');
        if (event === 'signed_in') setEnded(null);
      }),
    [client],
  );
  const auth = useMemo<Auth>(
    () => ({
      client,
      session,
      user,
      ended,
      async signIn(username, password) {
        const reply = await client.login({ username, password });
        if (!reply.user.roles.includes(ADMIN_ROLE)) {
          await client.logout();
          throw new NotAdministrator('This account is not an administrator: the console is for administrators only.');
        }
        setUser(reply.user);
      },
      signOut: () => client.logout(),
    }),
    [client, session, user, ended],
  );
  return <AuthContext.Provider value={auth}>{children}</AuthContext.Provider>;
}
