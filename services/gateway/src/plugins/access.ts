import { type AccessRule, type Claims, type ErrorBody, narrows, tokensCommands } from '@headlesskey/contracts';
import type { CommandClient } from '@headlesskey/platform';
import type { FastifyRequest } from 'fastify';

/** Who may call a route: anyone, any valid token, or a token carrying one of these roles. */
export type Access = Readonly<AccessRule>;

/**
 * The rule in force for a route: the `access` setting's, when it narrows the route's default.
 * Identity refuses a setting that would open a route; this keeps it closed even if one got in.
 */
export function ruleFor(base: Access, configured: Access | undefined): Access {
  return configured !== undefined && narrows(base, configured) ? configured : base;
}

/** The caller of a protected route, from its validated token. */
export interface Caller {
  userId: number;
  sessionId: string;
  roles: readonly string[];
  claims: Claims;
}

/** The administrator a change is recorded against: the caller, by id and login. */
export const actorOf = (caller: Caller) => ({ user_id: caller.userId, user_login: caller.claims.data.user_login });

const BEARER = /^Bearer[ \t]+(\S+)[ \t]*$/i;
const MAX_TOKEN = tokensCommands.validate.request.properties.token.maxLength ?? 8192;

/**
 * The bearer guard of a protected route: the `Authorization: Bearer` token must pass the tokens
 * service's validate (signature, claims, live session) — never anonymous on a bad token — and,
 * for a role list, carry one of the roles.
 */
export async function authorize(
  request: FastifyRequest,
  bus: CommandClient,
  access: Exclude<Access, 'public'>,
): Promise<Caller | { error: ErrorBody }> {
  const token = BEARER.exec(request.headers.authorization ?? '')?.[1];
  if (!token) return { error: { code: 'headlesskey_unauthorized', message: 'Send a token as Authorization: Bearer <token>.' } };
  if (token.length > MAX_TOKEN) return { error: { code: 'headlesskey_invalid_token', details: { reason: 'token too large' } } };
  const verified = await bus.send(tokensCommands.validate, { token, context: request.requestContext });
  if (!verified.ok) return { error: verified.error };
  const claims = verified.data.data;
  // The roles held now, not those the token was signed with: a demotion counts on the next request.
  const caller: Caller = { userId: claims.data.ID, sessionId: claims.sid, roles: verified.data.roles, claims };
  if (access !== 'authenticated' && !caller.roles.some((role) => (access as readonly string[]).includes(role))) {
    return { error: { code: 'headlesskey_forbidden' } };
  }
  return caller;
}
