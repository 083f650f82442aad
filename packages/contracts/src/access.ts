import { type Static, Type } from '@sinclair/typebox';
import { Role } from './user.js';

/**
 * Who may call a route: anyone, any valid token, or a token carrying one of the roles. The
 * `access` setting maps route keys to these.
 */
export const AccessRule = Type.Union([
  Type.Literal('public'),
  Type.Literal('authenticated'),
  Type.Array(Role, { minItems: 1, uniqueItems: true }),
]);
export type AccessRule = Static<typeof AccessRule>;

/**
 * A route's key in the `access` setting: its method and its path below the REST namespace, path
 * parameters in braces, as docs/api.md writes them (`"GET /me"`, `"DELETE /webhooks/{id}"`).
 */
export const ROUTE_KEY_PATTERN = '^(GET|POST|PUT|PATCH|DELETE) /[A-Za-z0-9_{}/-]*$';

const ADMIN: AccessRule = ['administrator'];

/**
 * Every route under the REST namespace with its access by default (docs/api.md, Access): the one
 * owner of the rule. The gateway reads each route's default here and identity checks the `access`
 * setting against it.
 */
export const ROUTE_ACCESS: Readonly<Record<string, AccessRule>> = Object.freeze({
  'POST /token': 'public',
  'POST /token/validate': 'public',
  'POST /token/refresh': 'public',
  'POST /token/revoke': 'public',
  'POST /register': 'public',
  'POST /login': 'public',
  'POST /forgot-password': 'public',
  'POST /reset-password': 'public',
  'POST /verify-email': 'public',
  'POST /verify-email/resend': 'public',
  'POST /change-password': 'authenticated',
  'GET /me': 'authenticated',
  'GET /me/export': 'authenticated',
  'DELETE /me': 'authenticated',
  'GET /sessions': 'authenticated',
  'DELETE /sessions/{id}': 'authenticated',
  'GET /users': ADMIN,
  'POST /users': ADMIN,
  'GET /users/{id}': ADMIN,
  'PATCH /users/{id}': ADMIN,
  'DELETE /users/{id}': ADMIN,
  'GET /users/{id}/sessions': ADMIN,
  'DELETE /users/{id}/sessions': ADMIN,
  'DELETE /users/{id}/sessions/{session_id}': ADMIN,
  'POST /users/{id}/unlock': ADMIN,
  'GET /sessions/stats': ADMIN,
  'POST /keys/rotate': ADMIN,
  'GET /keys': ADMIN,
  'POST /keys/import': ADMIN,
  'GET /logs': ADMIN,
  'GET /logs/stats': ADMIN,
  'GET /settings': ADMIN,
  'PATCH /settings': ADMIN,
  'GET /webhooks': ADMIN,
  'POST /webhooks': ADMIN,
  'GET /webhooks/{id}': ADMIN,
  'PATCH /webhooks/{id}': ADMIN,
  'DELETE /webhooks/{id}': ADMIN,
  'POST /webhooks/{id}/rotate-secret': ADMIN,
  'POST /webhooks/{id}/test': ADMIN,
  'GET /webhooks/{id}/deliveries': ADMIN,
  'POST /webhooks/{id}/deliveries/{delivery_id}/redeliver': ADMIN,
  'GET /webhooks/stats': ADMIN,
  'POST /sso/exchange': 'public',
  'GET /sso/sites': ADMIN,
  'POST /sso/sites': ADMIN,
  'GET /sso/sites/{key}': ADMIN,
  'PATCH /sso/sites/{key}': ADMIN,
  'DELETE /sso/sites/{key}': ADMIN,
  'POST /sso/sites/{key}/rotate-secret': ADMIN,
});

/**
 * True when `rule` lets in no one that `base` keeps out: public ⊃ authenticated ⊃ a list of roles,
 * and a list only narrows to a sub-list. A route can be narrowed this way, never opened.
 */
export function narrows(base: Readonly<AccessRule>, rule: Readonly<AccessRule>): boolean {
  if (base === 'public') return true;
  if (base === 'authenticated') return rule !== 'public';
  return Array.isArray(rule) && rule.length > 0 && rule.every((role: Role) => base.includes(role));
}

/**
 * What is wrong with entries of the `access` setting (already of the right shape), by route key:
 * a key that names no route, or a rule that would open a route beyond its default.
 */
export function accessProblems(entries: Readonly<Record<string, AccessRule>>): Record<string, string> {
  const problems: Record<string, string> = {};
  for (const [route, rule] of Object.entries(entries)) {
    const base = Object.hasOwn(ROUTE_ACCESS, route) ? ROUTE_ACCESS[route] : undefined;
    if (base === undefined) problems[route] = `access[${route}] names no route.`;
    else if (!narrows(base, rule)) problems[route] = `access[${route}] ${openingReason(base)}`;
  }
  return problems;
}

function openingReason(base: AccessRule): string {
  if (Array.isArray(base)) {
    return `is restricted to ${base.join(', ')}: it can be narrowed to a list of those roles, never opened.`;
  }
  return 'needs a signed-in user: it can be narrowed to a list of roles, never made public.';
}
