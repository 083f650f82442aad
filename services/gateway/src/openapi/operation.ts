import type { TSchema } from '@sinclair/typebox';
import type { Access } from '../plugins/access.js';
import type { ApiRoute, RouteGroup } from '../routes/route.js';

/**
 * One route as the OpenAPI document shows it, in the route-schema form `@fastify/swagger` reads.
 * It rides on the route's `config`, not its `schema`, so that documenting a route never changes
 * how Fastify validates or serialises it (an error schema would re-serialise every error body).
 */
export interface OpenApiOperation {
  summary: string;
  description?: string;
  tags: string[];
  /** `[]`: no token needed; else the bearer scheme. */
  security: Record<string, string[]>[];
  body?: TSchema;
  consumes?: string[];
  params?: TSchema;
  querystring?: TSchema;
  response: Record<string, unknown>;
}

declare module 'fastify' {
  interface FastifyContextConfig {
    /** The route's operation in the OpenAPI document; a route without one is left out of it. */
    openapi?: OpenApiOperation;
  }
}

/** The shared schema of every error body (registered by the OpenAPI plugin). */
export const ERROR_SCHEMA_ID = 'WpError';
export const BEARER_SCHEME = 'bearer';

const BODY_TYPES = ['application/json', 'application/x-www-form-urlencoded'];

/** An error answer in the document: the shared error schema, with what this status means here. */
export const errorResponse = (description: string) => ({ description, $ref: `${ERROR_SCHEMA_ID}#` });
/** The catch-all of every operation. */
export const ANY_ERROR = errorResponse('An error in the WordPress REST shape; `code` says which.');

/** The operation of a REST route: its schemas as served, who may call it, and how it can fail. */
export function operationOf(route: ApiRoute, group: RouteGroup): OpenApiOperation {
  const access = route.access ?? 'public';
  const status = route.status ?? 200;
  const takesInput = route.body !== undefined || route.params !== undefined || route.query !== undefined;
  const response: Record<string, unknown> = {
    [status]: { ...(route.response ?? {}), description: status === 201 ? 'Created.' : 'Success.' },
    ...(takesInput
      ? { 400: errorResponse('A parameter is missing or invalid (`rest_missing_callback_param`, `rest_invalid_param`).') }
      : {}),
    ...(access === 'public'
      ? {}
      : { 401: errorResponse('No usable bearer token.'), 403: errorResponse('The access policy refuses the caller.') }),
    ...(route.params ? { 404: errorResponse('No such resource.') } : {}),
    ...(route.rateLimit
      ? { 429: errorResponse('Too many requests from this client address (`headlesskey_rate_limited`); see `Retry-After`.') }
      : {}),
    503: errorResponse('A backing service did not answer in time; see `Retry-After`.'),
    default: ANY_ERROR,
  };
  const operation: OpenApiOperation = {
    summary: route.summary,
    description: [route.description, accessLine(access)].filter(Boolean).join('\n\n'),
    tags: [group.name],
    security: access === 'public' ? [] : [{ [BEARER_SCHEME]: [] }],
    response,
  };
  if (route.body) Object.assign(operation, { body: route.body, consumes: BODY_TYPES });
  if (route.params) operation.params = route.params;
  if (route.query) operation.querystring = route.query;
  return operation;
}

function accessLine(access: Access): string {
  if (access === 'public') return 'Access: public.';
  if (access === 'authenticated') return 'Access: any valid bearer token.';
  return `Access: a bearer token with the role ${access.join(' or ')}.`;
}
