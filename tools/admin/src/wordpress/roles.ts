import { unserialize } from 'php-serialize';

/** WordPress's own roles: the role names when the site's `<prefix>user_roles` option cannot be read. */
export const WORDPRESS_ROLES: readonly string[] = ['administrator', 'editor', 'author', 'contributor', 'subscriber'];

/**
 * PHP's serialized array, parsed as data (never evaluated): an object of its entries, or
 * undefined when it is not a well-formed serialized array. Objects of any class are refused.
 */
function phpArray(serialized: string): Record<string, unknown> | undefined {
  try {
    const value: unknown = unserialize(serialized, {}, { strict: true });
    if (Array.isArray(value)) return Object.fromEntries(value.entries());
    return value !== null && typeof value === 'object' ? (value as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

/** The role names a site defines (the keys of its `<prefix>user_roles` option), or undefined. */
export function siteRoles(serialized: string | null | undefined): Set<string> | undefined {
  const roles = serialized ? phpArray(serialized) : undefined;
  return roles ? new Set(Object.keys(roles)) : undefined;
}

/**
 * A user's roles from their `<prefix>capabilities`, as WordPress reads it: the keys granted (true)
 * that are roles of the site; granted capabilities that are not roles are not roles here either.
 * No capabilities row: no role on the site. Null when the value cannot be read at all.
 */
export function rolesOf(capabilities: string | null, roles: ReadonlySet<string>): string[] | null {
  if (capabilities === null) return [];
  const granted = phpArray(capabilities);
  if (!granted) return null;
  return Object.entries(granted)
    .filter(([name, on]) => roles.has(name) && (on === true || on === 1 || on === '1'))
    .map(([name]) => name);
}
