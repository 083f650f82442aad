import type { ReactNode } from 'react';
import { Link } from 'wouter';
import { useAuth } from './auth.js';

/** The frame of every screen once signed in: who is signed in, the screens, and signing out. */
export function Shell({ children }: { children: ReactNode }) {
  const { user, signOut } = useAuth();
  return (
    <>
      <header className="shell">
        <span className="brand">HeadlessKey</span>
        <nav aria-label="Screens">
          <Link href="/settings" className={(active: boolean) => (active ? 'active' : '')}>
            Settings
          </Link>
        </nav>
        <span className="who">{user?.user_login}</span>
        <button type="button" onClick={() => void signOut()}>
          Sign out
        </button>
      </header>
      <main className="screen">{children}</main>
    </>
  );
}
