import { type FormEvent, useEffect, useState } from 'react';
import { useSettings } from '../settings/queries.js';
import { type ManagedUser, type UserDetail, useUserChange } from './queries.js';
import { roleChoices } from './roles.js';
import type { Announce } from './UserPage.js';

/** The user's roles as checkboxes, saved with `PATCH /users/{id}`; the API keeps one active administrator. */
export function RolesForm({ user, announce }: { user: UserDetail; announce: Announce }) {
  const settings = useSettings();
  const [roles, setRoles] = useState<string[]>(user.roles);
  // After a save (or a change elsewhere), the roles the API answers.
  useEffect(() => setRoles(user.roles), [user.roles]);
  const save = useUserChange((api, next: string[]) => api.send<ManagedUser>('PATCH', `/users/${user.ID}`, { roles: next }));
  const custom = settings.data?.custom_roles;
  const choices = roleChoices(Array.isArray(custom) ? custom.map(String) : [], user.roles);
  const dirty = roles.length !== user.roles.length || roles.some((role) => !user.roles.includes(role));
  // The API's own words: an unknown role, or the last administrator kept.
  const problem = save.error?.message;

  function submit(event: FormEvent) {
    event.preventDefault();
    save.mutate(roles, {
      onSuccess: (saved) => announce(`Roles of ${saved.user_login} saved: ${saved.roles.join(', ')}.`),
      onError: (error) => announce(`Roles not saved: ${error.message}`, true),
    });
  }
  const toggle = (role: string, on: boolean) =>
    setRoles((current) => (on ? choices.filter((r) => r === role || current.includes(r)) : current.filter((r) => r !== role)));

  return (
    <section aria-labelledby="roles-heading" className="panel">
      <h2 id="roles-heading">Roles</h2>
      <form onSubmit={submit} noValidate>
        <fieldset className="roles" aria-describedby={problem ? 'roles-error' : undefined}>
          <legend className="visually-hidden">Roles of {user.user_login}</legend>
          {choices.map((role) => (
            <label key={role} className="check">
              <input type="checkbox" checked={roles.includes(role)} onChange={(e) => toggle(role, e.target.checked)} /> {role}
            </label>
          ))}
        </fieldset>
        {problem && (
          <p id="roles-error" className="error">
            {problem}
          </p>
        )}
        <button type="submit" disabled={!dirty || roles.length === 0 || save.isPending}>
          {save.isPending ? 'Saving…' : 'Save roles'}
        </button>
        {roles.length === 0 && <p>A user needs at least one role.</p>}
      </form>
    </section>
  );
}
