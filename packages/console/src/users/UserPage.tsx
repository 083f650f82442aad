import { useCallback, useState } from 'react';
import { Link } from 'wouter';
import { ApiError } from '../api/api.js';
import { ActivityPanel } from './ActivityPanel.js';
import { When } from './format.js';
import { useUser } from './queries.js';
import { RolesForm } from './RolesForm.js';
import { SessionsPanel } from './SessionsPanel.js';
import { StatusPanel } from './StatusPanel.js';

/** What a panel says of an action's outcome, in the page's one polite live region. */
export type Announce = (text: string, error?: boolean) => void;

/** One user: profile, roles, status (lockout, disabled), sessions, and recent activity. */
export function UserPage({ id }: { id: string }) {
  const valid = /^[1-9]\d{0,9}$/.test(id);
  return (
    <>
      <p>
        <Link href="/">← All users</Link>
      </p>
      {/* A key per user: another user's page starts with no news of this one. */}
      {valid ? <UserDetails key={id} id={Number(id)} /> : <p className="error">No such user.</p>}
    </>
  );
}

function UserDetails({ id }: { id: number }) {
  const user = useUser(id);
  const [news, setNews] = useState<{ text: string; error: boolean } | null>(null);
  const announce = useCallback<Announce>((text, error = false) => setNews({ text, error }), []);

  if (user.isPending) return <p role="status">Loading the user…</p>;
  if (user.isError) {
    const missing = user.error instanceof ApiError && user.error.status === 404;
    return <p className="error">{missing ? 'No such user.' : `The user could not be read: ${user.error.message}`}</p>;
  }
  const u = user.data;
  return (
    <>
      <h1>{u.display_name || u.user_login}</h1>
      {/* Always in the page, so that screen readers hear what is put into it. */}
      <p role="status" className={`news ${news?.error ? 'error' : 'ok'}`}>
        {news?.text}
      </p>
      <section aria-labelledby="profile-heading" className="panel">
        <h2 id="profile-heading">Profile</h2>
        <dl className="profile">
          <dt>Login</dt>
          <dd>{u.user_login}</dd>
          <dt>Email</dt>
          <dd>
            {u.user_email} {u.email_verified ? '(verified)' : '(not verified)'}
          </dd>
          <dt>Display name</dt>
          <dd>{u.display_name || '—'}</dd>
          <dt>Registered</dt>
          <dd>
            <When at={u.registered} />
          </dd>
          <dt>Last login</dt>
          <dd>
            <When at={u.last_login} />
          </dd>
        </dl>
      </section>
      <RolesForm user={u} announce={announce} />
      <StatusPanel user={u} announce={announce} />
      <SessionsPanel userId={id} announce={announce} />
      <ActivityPanel userId={id} />
    </>
  );
}
