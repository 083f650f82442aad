/** Who may call a route, as the `access` setting writes it: anyone, any valid token, or these roles. */
export type AccessRule = 'public' | 'authenticated' | string[];
export type Kind = 'public' | 'authenticated' | 'roles';

/** What a row of the screen holds: the kind chosen and, for `roles`, the roles ticked. */
export interface RuleDraft {
  kind: Kind;
  roles: string[];
}

/** Put in by the build (vite.config.ts) from `ROUTE_ACCESS` and `ROLES` in `@headlesskey/contracts`. */
declare const __ROUTE_ACCESS__: Record<string, AccessRule>;
declare const __ROLES__: string[];
export const ROUTE_DEFAULTS = __ROUTE_ACCESS__;
export const BUILT_IN_ROLES = __ROLES__;

export const KIND_LABELS: Readonly<Record<Kind, string>> = {
  public: 'Anyone (public)',
  authenticated: 'Any signed-in user',
  roles: 'Only these roles',
};

/**
 * The choices that narrow a route's default, never open it: public ⊃ authenticated ⊃ a list of
 * roles, and a list narrows only to a sub-list. `narrows` in contracts/access.ts is the rule and
 * the API judges by it; this decides only what to offer (rules.unit.test.ts holds them together).
 */
export function offered(base: AccessRule, knownRoles: readonly string[]): { kinds: Kind[]; roles: string[] } {
  if (Array.isArray(base)) return { kinds: ['roles'], roles: [...base] };
  return { kinds: base === 'public' ? ['public', 'authenticated', 'roles'] : ['authenticated', 'roles'], roles: [...knownRoles] };
}

export function toDraft(rule: AccessRule): RuleDraft {
  return Array.isArray(rule) ? { kind: 'roles', roles: [...rule] } : { kind: rule, roles: [] };
}

export function fromDraft(draft: RuleDraft): AccessRule {
  return draft.kind === 'roles' ? [...draft.roles] : draft.kind;
}

export function describe(rule: AccessRule | undefined): string {
  if (rule === undefined) return '—';
  if (Array.isArray(rule)) return `Roles: ${rule.join(', ') || 'none'}`;
  return KIND_LABELS[rule];
}

const same = (a: AccessRule | undefined, b: AccessRule | undefined) => JSON.stringify(a) === JSON.stringify(b);

/** The `access` members the drafts change, as `PATCH /settings` merges them. */
export function accessPatch(inForce: Record<string, AccessRule>, drafts: Record<string, RuleDraft>): Record<string, AccessRule> {
  const patch: Record<string, AccessRule> = {};
  for (const [route, draft] of Object.entries(drafts)) {
    const rule = fromDraft(draft);
    if (!same(rule, inForce[route])) patch[route] = rule;
  }
  return patch;
}

/**
 * A `rest_invalid_param` answer's problems by route: the API names the route in its message
 * (`access[GET /logs] is restricted…`) or in the parameter (`access/GET /logs`); the rest go
 * under '' to be shown for the whole table.
 */
export function problemsByRoute(params: unknown): Record<string, string> {
  const problems: Record<string, string> = {};
  if (!params || typeof params !== 'object') return problems;
  for (const [name, value] of Object.entries(params)) {
    const message = String(value);
    const route = /^access\[([^\]]+)\]/.exec(message)?.[1] ?? /^access\/(.+)$/.exec(name)?.[1]?.replace(/~1/g, '/');
    const key = route && Object.hasOwn(ROUTE_DEFAULTS, route) ? route : '';
    problems[key] = problems[key] ? `${problems[key]} ${message}` : message;
  }
  return problems;
}
