import type { ReactNode } from 'react';
import { Link, useRoute } from 'wouter';
import { useAuth } from './auth.js';
import { confirmLeave } from './leave-guard.js';
import { SCREENS } from './screens.js';

function NavLink({ path, label }: { path: string; label: string }) {
  const [here] = useRoute(`${path}/*?`);
  return (
    <Link href={path} className={here ? 'active' : ''} aria-current={here ? 'page' : undefined}>
      {label}
    </Link>
  );
}

/** The frame of every screen once signed in: who is signed in, the screens, and signing out. */
export function Shell({ children }: { children: ReactNode }) {
  const { user, signOut } = useAuth();
  return (
    <>
      <header className="shell">
        <span className="brand">HeadlessKey</span>
        <nav aria-label="Screens">
          {SCREENS.map((screen) => (
            <NavLink key={screen.path} path={screen.path} label={screen.label} />
          ))}
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
