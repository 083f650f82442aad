import type { ErrorCode } from '@headlesskey/contracts';
import { type TSchema, Type } from '@sinclair/typebox';
import type { Access } from '../plugins/access.js';
import { HTTP_ERRORS } from '../plugins/errors.js';
import { type ApiRoute, defaultAccess, type RouteGroup } from '../routes/route.js';

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
  /** Request headers beyond the bearer token: `Idempotency-Key` on the writes that take it. */
  headers?: TSchema;
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
export const errorResponse = (description: string, headers?: Record<string, unknown>) => ({
  description,
  $ref: `${ERROR_SCHEMA_ID}#`,
  ...(headers ? { headers } : {}),
});
/** The catch-all of every operation. */
export const ANY_ERROR = errorResponse('An error in the WordPress REST shape; `code` says which.');

/**
 * What every operation can be answered before any route sees the request: a request line or
 * headers past Node's 16 KiB (413, in the WordPress shape: `clientError` in plugins/errors.ts), or
 * a request Node's parser cannot read (400, no body). A status an operation names itself takes
 * precedence over this range.
 */
export const REQUEST_REFUSED = errorResponse(
  'The HTTP server refused the request before any route saw it: a request line or headers over 16 KiB (413 `headlesskey_payload_too_large`), or a malformed request (400, without a body).',
);

/**
 * The `operationId` of a method and a path (below the REST namespace for its routes): the method,
 * then each segment in PascalCase, a parameter as `By` and its name. `DELETE /sessions/:id` →
 * `deleteSessionsById`; the namespace index, whose path is empty, → `getIndex`. Unique because
 * method and path are, and the same under any configured namespace.
 */
export function operationIdOf(method: string, path: string): string {
  const segments = path.split('/').filter(Boolean).map(segmentName);
  return method.toLowerCase() + (segments.length > 0 ? segments.join('') : 'Index');
}

function segmentName(segment: string): string {
  const parameter = /^:(.+)$|^\{(.+)\}$/.exec(segment);
  const words = (parameter ? (parameter[1] ?? parameter[2])! : segment).split(/[^A-Za-z0-9]+/).filter(Boolean);
  const pascal = words.map((word) => word[0]!.toUpperCase() + word.slice(1)).join('');
  return parameter ? `By${pascal}` : pascal;
}

/** The codes any route of a shape can be answered, besides those its services name (`errors`). */
const SHAPE_ERRORS = {
  input: ['rest_missing_callback_param', 'rest_invalid_param'],
  body: ['headlesskey_invalid_json', 'headlesskey_payload_too_large', 'headlesskey_unsupported_media_type'],
  guarded: [
    'headlesskey_unauthorized',
    'headlesskey_invalid_token',
    'headlesskey_token_expired',
    'headlesskey_token_revoked',
    'headlesskey_forbidden',
  ],
  resource: ['headlesskey_not_found'],
  limited: ['headlesskey_rate_limited'],
  idempotent: ['headlesskey_idempotency_key_reused', 'headlesskey_idempotency_key_in_flight'],
  any: ['headlesskey_unavailable'],
} as const satisfies Record<string, readonly ErrorCode[]>;

/** The header of a 429 or 503 answer: when to ask again. */
export const RETRY_AFTER = { 'retry-after': { type: 'integer', description: 'Seconds to wait before asking again.' } };
/** The request header of a write that can be retried safely (docs/api.md, Conventions). */
const IDEMPOTENCY_HEADERS = Type.Object({
  'idempotency-key': Type.Optional(
    Type.String({
      minLength: 1,
      maxLength: 255,
      description:
        'A unique string of the client (a UUID, say) that makes a retry of this write safe: a repeat with the same key and body gets the first answer again, byte for byte (with `Idempotent-Replayed: true`); the same key with another body is answered 422, and while the first request still runs, 409. Kept 24 hours, per caller and route.',
    }),
  ),
});

/** The header of a 401 for a missing token: the scheme to answer with. */
const WWW_AUTHENTICATE = { 'www-authenticate': { type: 'string', description: '`Bearer`, when no usable token came.' } };

function headersOf(status: number, codes: readonly ErrorCode[]): Record<string, unknown> | undefined {
  if (status === 429 || status === 503 || codes.includes('headlesskey_idempotency_key_in_flight')) return RETRY_AFTER;
  return codes.includes('headlesskey_unauthorized') ? WWW_AUTHENTICATE : undefined;
}

/**
 * The error answers of a route, one per status, each listing the codes it stands for with their
 * messages; the statuses come from the gateway's one table of them (`HTTP_ERRORS`).
 */
function errorResponsesOf(route: ApiRoute, access: Access): Record<number, unknown> {
  const takesInput = route.body !== undefined || route.params !== undefined || route.query !== undefined;
  const codes = new Set<ErrorCode>([
    ...(takesInput ? SHAPE_ERRORS.input : []),
    ...(route.body ? SHAPE_ERRORS.body : []),
    ...(access === 'public' ? [] : SHAPE_ERRORS.guarded),
    ...(route.params ? SHAPE_ERRORS.resource : []),
    ...(route.rateLimit ? SHAPE_ERRORS.limited : []),
    ...(route.idempotent ? SHAPE_ERRORS.idempotent : []),
    ...(route.errors ?? []),
    ...SHAPE_ERRORS.any,
  ]);
  const byStatus = new Map<number, ErrorCode[]>();
  for (const code of codes) byStatus.set(HTTP_ERRORS[code].status, [...(byStatus.get(HTTP_ERRORS[code].status) ?? []), code]);
  return Object.fromEntries(
    [...byStatus].map(([status, list]) => {
      const description = list.map((code) => `\`${code}\`: ${HTTP_ERRORS[code].message}`).join('\n\n');
      return [status, errorResponse(description, headersOf(status, list))];
    }),
  );
}

/** The operation of a REST route: its schemas as served, who may call it, and how it can fail. */
export function operationOf(route: ApiRoute, group: RouteGroup): OpenApiOperation {
  const access = defaultAccess(route);
  const status = route.status ?? 200;
  const response: Record<string, unknown> = {
    [status]: { ...(route.response ?? {}), description: status === 201 ? 'Created.' : 'Success.' },
    ...errorResponsesOf(route, access),
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
  if (route.idempotent) operation.headers = IDEMPOTENCY_HEADERS;
  return operation;
}

function accessLine(access: Access): string {
  if (access === 'public') return 'Access: public.';
  if (access === 'authenticated') return 'Access: any valid bearer token.';
  return `Access: a bearer token with the role ${access.join(' or ')}.`;
}
