import type { ReactNode } from 'react';
import { Link, useRoute } from 'wouter';
import { useAuth } from './auth.js';
import { confirmLeave } from './leave-guard.js';

/** The frame of every screen once signed in: who is signed in, the screens, and signing out. */
export function Shell({ children }: { children: ReactNode }) {
  const { user, signOut } = useAuth();
  const [onSettings] = useRoute('/settings');
  return (
    <>
      <header className="shell">
        <span className="brand">HeadlessKey</span>
        <nav aria-label="Screens">
          <Link href="/settings" className={onSettings ? 'active' : ''} aria-current={onSettings ? 'page' : undefined}>
            Settings
          </Link>
        </nav>
        <span className="who">{user?.user_login}</span>
        <button
          type="button"
          onClick={() => {
            if (confirmLeave()) void signOut();
          }}
        >
          Sign out
        </button>
      </header>
      <main className="screen">{children}</main>
    </>
  );
}
