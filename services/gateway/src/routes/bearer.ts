import { type ErrorBody, TokenInBody } from '@headlesskey/contracts';
import { isValid } from '@headlesskey/platform';
import type { FastifyRequest } from 'fastify';
import { invalidParams, missingParams } from '../plugins/validation-errors.js';

const BEARER = /^Bearer[ \t]+(\S+)[ \t]*$/i;
const TOO_LONG = `token must be at most ${TokenInBody.properties.token.maxLength} characters long.`;

/**
 * The token of a request: the body's `token`, else `Authorization: Bearer <token>` (API.md: both
 * work wherever a token is taken). The query string is never read. A header token is held to the
 * same limits as a body one, which Fastify has already checked.
 */
export function tokenOf(body: TokenInBody, request: FastifyRequest): { token: string } | { error: ErrorBody } {
  if (body.token !== undefined) return { token: body.token };
  const header = request.headers.authorization;
  const token = header === undefined ? undefined : BEARER.exec(header)?.[1];
  if (token === undefined) return { error: missingParams(['token']) };
  if (!isValid(TokenInBody, { token })) return { error: invalidParams({ token: TOO_LONG }) };
  return { token };
}
