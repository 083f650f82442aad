import type { ROLES } from '@headlesskey/contracts';

type BuiltIn = (typeof ROLES)[number];

/** WordPress's five roles, as the contract lists them (the type checks both lists agree). */
const BUILT_IN = ['administrator', 'editor', 'author', 'contributor', 'subscriber'] as const satisfies readonly BuiltIn[];
const complete: Exclude<BuiltIn, (typeof BUILT_IN)[number]> extends never ? true : never = true;
void complete;

/** The roles a user may be given (the built-in ones and the `custom_roles` setting's), and any they hold already. */
export function roleChoices(customRoles: readonly string[], held: readonly string[]): string[] {
  const all: string[] = [...BUILT_IN];
  for (const role of [...customRoles, ...held]) if (!all.includes(role)) all.push(role);
  return all;
}
