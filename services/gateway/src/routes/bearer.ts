import { type ErrorBody, Text, TokenInBody } from '@headlesskey/contracts';
import { type Static, Type } from '@sinclair/typebox';
import type { FastifyRequest } from 'fastify';
import { missingParams } from '../plugins/validation-errors.js';

const BEARER = /^Bearer[ \t]+(\S+)[ \t]*$/i;
const MAX_TOKEN = TokenInBody.properties.token.maxLength ?? 8192;

/**
 * The body of a route that takes a token. Unlike the contract's `TokenInBody`, no length limit
 * here (the body limit still holds): an oversized token is answered by `tokenOf` as an invalid
 * token, 401, as a protected route answers it, not as a malformed request.
 */
export const TokenField = Type.Object({ token: Type.Optional(Text({ minLength: 1 })) });
export type TokenField = Static<typeof TokenField>;

/** What verifying a presented token can answer, on the routes that take one. */
export const TOKEN_ERRORS = ['headlesskey_invalid_token', 'headlesskey_token_expired', 'headlesskey_token_revoked'] as const;

/**
 * The token of a request: the body's `token`, else `Authorization: Bearer <token>` (docs/api.md: both
 * work wherever a token is taken). The query string is never read. A token past the contract's
 * limit never reaches the tokens service.
 */
export function tokenOf(body: TokenField, request: FastifyRequest): { token: string } | { error: ErrorBody } {
  const header = request.headers.authorization;
  const token = body.token ?? (header === undefined ? undefined : BEARER.exec(header)?.[1]);
  if (token === undefined) return { error: missingParams(['token']) };
  if (token.length > MAX_TOKEN) return { error: { code: 'headlesskey_invalid_token', details: { reason: 'token too large' } } };
  return { token };
}
