import { useRef } from 'react';
import { InlineConfirm } from '../ui/InlineConfirm.js';
import { When } from './format.js';
import { type ManagedUser, type UserDetail, useUserChange } from './queries.js';
import type { Announce } from './UserPage.js';

/** Whether the user may sign in: a lockout by failed logins (lifted by Unlock), and enabled or disabled. */
export function StatusPanel({ user, announce }: { user: UserDetail; announce: Announce }) {
  const unlock = useUserChange((api, id: number) => api.send<{ unlocked: boolean }>('POST', `/users/${id}/unlock`));
  const setStatus = useUserChange((api, status: ManagedUser['status']) => api.send<ManagedUser>('PATCH', `/users/${user.ID}`, { status }));
  const locked = user.locked_until !== null && Date.parse(user.locked_until) > Date.now();
  const who = user.user_login;
  // The button pressed goes away with the change: the keyboard stays in this section.
  const heading = useRef<HTMLHeadingElement>(null);
  const done = (text: string) => {
    announce(text);
    heading.current?.focus();
  };

  const doUnlock = () =>
    unlock.mutate(user.ID, {
      onSuccess: ({ unlocked }) => done(unlocked ? `Unlocked: ${who} may log in again.` : `${who} was not locked.`),
      onError: (error) => announce(`Not unlocked: ${error.message}`, true),
    });
  const change = (status: ManagedUser['status']) =>
    setStatus.mutateAsync(status).then(
      () => done(status === 'disabled' ? `Disabled: ${who} cannot sign in, and their sessions ended.` : `Enabled: ${who} may sign in.`),
      (error: Error) => announce(`Not changed: ${error.message}`, true),
    );

  return (
    <section aria-labelledby="status-heading" className="panel">
      <h2 id="status-heading" tabIndex={-1} ref={heading}>
        Status
      </h2>
      <div className="status-line">
        {locked ? (
          <p>
            <strong className="badge locked">Locked</strong> by failed logins until <When at={user.locked_until} />.
          </p>
        ) : (
          <p>Not locked.</p>
        )}
        {locked && (
          <button type="button" disabled={unlock.isPending} onClick={doUnlock}>
            Unlock
          </button>
        )}
      </div>
      <div className="status-line">
        {user.status === 'active' ? (
          <p>
            <strong className="badge">Active</strong>: may sign in.
          </p>
        ) : (
          <p>
            <strong className="badge disabled">Disabled</strong>: cannot sign in.
          </p>
        )}
        {user.status === 'active' ? (
          <InlineConfirm
            label="Disable"
            question={
              <>
                <strong>Disable {who}?</strong> They will not be able to sign in, and every session of theirs ends now.
              </>
            }
            confirmLabel="Disable"
            disabled={setStatus.isPending}
            onConfirm={() => change('disabled')}
          />
        ) : (
          <button type="button" disabled={setStatus.isPending} onClick={() => void change('active')}>
            Enable
          </button>
        )}
      </div>
    </section>
  );
}
