import { knownRoles } from '@headlesskey/contracts';
import { DomainError, type SettingsReader } from '@headlesskey/platform';

/**
 * Refuses a role nobody defined: only WordPress's roles and those of the `custom_roles` setting are
 * given to users. (A custom role taken off the setting stays with the users who hold it.)
 */
export function assertKnownRoles(settings: Pick<SettingsReader, 'current'>, roles: readonly string[] | undefined): void {
  if (roles === undefined) return;
  const known = knownRoles(settings.current().custom_roles);
  const unknown = roles.find((role) => !known.includes(role));
  if (unknown !== undefined) {
    throw new DomainError('rest_invalid_param', undefined, {
      params: { roles: `roles: ${unknown} is not a role here; the roles are ${known.join(', ')}.` },
    });
  }
}
