import { type ErrorCode, ROUTE_ACCESS } from '@headlesskey/contracts';
import type { AnswerStore, CommandClient, Reply, SettingsReader } from '@headlesskey/platform';
import type { Static, TObject, TSchema } from '@sinclair/typebox';
import type { FastifyError, FastifyPluginCallback, FastifyReply, FastifyRequest, HTTPMethods, RouteOptions } from 'fastify';
import type { OpenApiOperation } from '../openapi/operation.js';
import { type Access, authorize, type Caller, ruleFor } from '../plugins/access.js';
import { classify, sendError } from '../plugins/errors.js';
import { finishIdempotent, idempotencyGuard, keyedBus } from '../plugins/idempotency.js';
import { type RateBudget, type RouteLimits, rateLimitGuard, rateScope } from '../plugins/rate-limit.js';
import { withRuleProblems } from '../plugins/validation-errors.js';
import { queryOf } from './query.js';

/** What a handler gets: the body already checked against its schema and cut to its fields. */
export interface RouteInput<B, P = Record<string, string>, Q = Record<string, unknown>> {
  body: B;
  /** Path parameters, checked against the route's `params` schema. */
  params: P;
  /** The query parameters the route's `query` schema names, checked against it. */
  query: Q;
  /** The validated caller; set on every route whose access is not `public`. */
  caller?: Caller;
  request: FastifyRequest;
  bus: CommandClient;
}

/**
 * A route under the REST namespace, as data. The same entry registers the Fastify route and
 * describes it in the namespace index and the OpenAPI document.
 */
export interface ApiRoute<B extends TObject = TObject, P extends TObject = TObject, Q extends TObject = TObject> {
  method: Extract<HTTPMethods, 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE'>;
  /** Relative to `/wp-json/{namespace}/{version}`, Fastify syntax (`/sessions/:id`). */
  url: string;
  /** One line for the OpenAPI document. */
  summary: string;
  /** More for the OpenAPI document, when one line is not enough. */
  description?: string;
  /**
   * The per client IP budget it spends (see `RateLimits`), checked as the request arrives: for
   * public routes that tell whether an account exists or send mail, which lockouts do not cover.
   */
  rateLimit?: RateBudget;
  /**
   * Takes an `Idempotency-Key` header (a write): a retry with the same key gets the first answer
   * instead of doing the write again (see `idempotencyGuard`).
   */
  idempotent?: boolean;
  /** Bytes of body it takes, when not the gateway's limit: a route whose fields may be longer. */
  bodyLimit?: number;
  /** Its answers are never cached, though no field of theirs is a token or a secret. */
  noStore?: boolean;
  body?: B;
  /**
   * Rules beyond the body's schema (pure, from the contract), by field. When the schema refuses the
   * body they are named in the same answer; a body the schema takes is judged by its service.
   */
  rules?: (body: Readonly<Record<string, unknown>>) => Record<string, string>;
  params?: P;
  /**
   * The query string (GET routes), checked after the access check with the body's wording;
   * parameters it does not name are ignored, as WordPress ignores them.
   */
  query?: Q;
  /** Success body schema; also drops any field a reply carries beyond it. */
  response?: TSchema;
  /** Success status, 200 unless given. */
  status?: number;
  /**
   * The codes its services may answer, beyond those every route of its shape can get (a missing
   * field, a refused token, a missing resource, an unavailable service): for the OpenAPI document.
   */
  errors?: readonly ErrorCode[];
  /** Validate, build the command, send it: the reply becomes the answer. */
  handle(input: RouteInput<Static<B>, Static<P>, Static<Q>>): Promise<Reply<unknown>>;
}

/** One file's routes: `token`, `register`, and so on. */
export interface RouteGroup {
  name: string;
  routes: readonly ApiRoute[];
}

/** Keeps each route's body type for its handler while the table holds them side by side. */
export function defineRoute<B extends TObject, P extends TObject = TObject, Q extends TObject = TObject>(
  route: ApiRoute<B, P, Q>,
): ApiRoute {
  return route as unknown as ApiRoute;
}

/** Where the gateway reads the live settings from (the settings bucket's watcher). */
export type LiveSettings = Pick<SettingsReader, 'current'>;

/** What the routes work with. */
export interface RouteServices {
  bus: CommandClient;
  settings: LiveSettings;
  /** Without it (tests of other concerns), no route is rate-limited. */
  limits?: RouteLimits;
  /** Without it (tests of other concerns), `Idempotency-Key` is ignored. */
  answers?: RouteAnswers;
}

/** Where the answers of requests with an `Idempotency-Key` are kept, and when a claim is stale. */
export interface RouteAnswers {
  store: AnswerStore;
  /** A claim this old without an answer belonged to a gateway that stopped in its request. */
  staleAfterMs: number;
}

/**
 * A route's access by default: its entry in the contract's `ROUTE_ACCESS`, the one owner of it
 * (identity checks the `access` setting against the same table). The `access` setting can narrow
 * it; it is checked before the body reaches a handler or a command is sent. A route without an
 * entry stops the gateway at start.
 */
export function defaultAccess(route: Pick<ApiRoute, 'method' | 'url'>): Access {
  const key = routeKey(route);
  const access = Object.hasOwn(ROUTE_ACCESS, key) ? ROUTE_ACCESS[key] : undefined;
  if (access === undefined) throw new Error(`route ${key} has no entry in ROUTE_ACCESS (packages/contracts/src/access.ts)`);
  return access;
}

/** A route's key in the `access` setting: `"DELETE /sessions/{id}"`, as docs/api.md writes paths. */
export function routeKey(route: Pick<ApiRoute, 'method' | 'url'>): string {
  return `${route.method} ${route.url.replace(/:([A-Za-z_][A-Za-z0-9_]*)/g, '{$1}')}`;
}

/**
 * A route group as an encapsulated Fastify plugin. `describe` gives each route's OpenAPI
 * operation; without it (an alias namespace) the routes stay out of the document.
 */
export function routeGroupPlugin(
  group: RouteGroup,
  services: RouteServices,
  describe?: (route: ApiRoute, group: RouteGroup) => OpenApiOperation,
): FastifyPluginCallback {
  const plugin: FastifyPluginCallback = (scope, _options, done) => {
    for (const route of group.routes) {
      scope.route({ ...toFastifyRoute(route, services), config: { openapi: describe?.(route, group) } });
    }
    done();
  };
  Object.defineProperty(plugin, 'name', { value: `routes:${group.name}` });
  return plugin;
}

function toFastifyRoute(route: ApiRoute, { bus, settings, limits, answers }: RouteServices): RouteOptions {
  const status = route.status ?? 200;
  const schema: NonNullable<RouteOptions['schema']> = {};
  if (route.body) schema.body = route.body;
  if (route.params) schema.params = route.params;
  if (route.response) schema.response = { [status]: route.response };
  const options: RouteOptions = {
    method: route.method,
    url: route.url,
    schema,
    ...(route.bodyLimit ? { bodyLimit: route.bodyLimit } : {}),
    // A route with rules sees its refused body, to name the rules' problems along with the schema's.
    attachValidation: route.rules !== undefined,
    handler: async (request, reply) => {
      if (request.validationError) return sendError(reply, refusedBody(route, request));
      const caller = callers.get(request);
      const body = route.body ? knownFields(request.body as Record<string, unknown>, route.body) : {};
      const params = request.params as Record<string, string>;
      const found = route.query ? queryOf(route.query, request) : { query: {} };
      if ('error' in found) return sendError(reply, found.error);
      const result = await route.handle({ body, params, query: found.query, caller, request, bus: keyedBus(bus, request) });
      if (!result.ok) return sendError(reply, result.error);
      return reply.code(status).send(result.data);
    },
  };
  options.preValidation = [...(route.body ? [noBodyIsEmpty] : []), accessGuard(route, bus, settings)];
  const onSend = [
    ...(carriesCredential(route) || route.noStore ? [noStore] : []),
    ...(route.idempotent && answers ? [finishIdempotent(answers.store, answers.staleAfterMs)] : []),
  ];
  if (onSend.length > 0) options.onSend = onSend;
  if (route.idempotent && answers) options.preHandler = idempotencyGuard(answers.store, routeKey(route), answers.staleAfterMs);
  const rule = route.rateLimit && limits?.rules[route.rateLimit];
  if (rule && limits) options.onRequest = rateLimitGuard(rateScope(route.url), rule, limits.limiter);
  return options;
}

/** Success-body fields that make an answer a credential: an access token, a shared or signing secret. */
const CREDENTIAL_FIELDS = ['token', 'secret'];

/**
 * Whether a route's answers carry a token or a secret anywhere in them (`/register`'s is nested),
 * read from its response schema, so a new route that answers one is covered without anyone
 * remembering to say so.
 */
export function carriesCredential(route: Pick<ApiRoute, 'response'>): boolean {
  return route.response !== undefined && hasCredentialField(route.response);
}

function hasCredentialField(schema: TSchema): boolean {
  const properties: Record<string, TSchema> = schema.properties ?? {};
  if (CREDENTIAL_FIELDS.some((field) => Object.hasOwn(properties, field))) return true;
  const nested: TSchema[] = [
    ...Object.values(properties),
    ...(schema.items ? [schema.items] : []),
    ...(schema.anyOf ?? []),
    ...(schema.allOf ?? []),
  ];
  return nested.some(hasCredentialField);
}

/**
 * RFC 6749 §5.1: an answer carrying a token or a secret is never stored by a cache (`Pragma` for
 * HTTP/1.0 ones). Set on every answer of such a route, refusals included, as one rule.
 */
async function noStore(_request: FastifyRequest, reply: FastifyReply, payload: unknown): Promise<unknown> {
  reply.header('cache-control', 'no-store');
  reply.header('pragma', 'no-cache');
  return payload;
}

const callers = new WeakMap<FastifyRequest, Caller>();

function refusedBody(route: ApiRoute, request: FastifyRequest) {
  const error = classify(request.validationError as FastifyError) ?? { code: 'rest_invalid_param' as const };
  return withRuleProblems(error, route.rules?.(request.body as Record<string, unknown>) ?? {});
}

/**
 * Runs before the body is validated, with the rule in force at this moment: a caller without a
 * usable token, or without an allowed role, learns nothing more.
 */
function accessGuard(route: ApiRoute, bus: CommandClient, settings: LiveSettings) {
  const key = routeKey(route);
  const base = defaultAccess(route);
  return async (request: FastifyRequest, reply: FastifyReply) => {
    const access = settings.current().access;
    const rule = ruleFor(base, Object.hasOwn(access, key) ? access[key] : undefined);
    if (rule === 'public') return;
    const caller = await authorize(request, bus, rule);
    if ('error' in caller) return sendError(reply, caller.error);
    callers.set(request, caller);
  };
}

/**
 * A request with no body at all is treated as `{}`, so it is answered with the missing
 * parameters, as WordPress does, rather than "body must be object".
 */
async function noBodyIsEmpty(request: FastifyRequest): Promise<void> {
  if (request.body === undefined || request.body === null) request.body = {};
}

/** Only the fields the schema declares reach a command: extra body fields never cross the bus. */
function knownFields(body: Record<string, unknown>, schema: TObject): Record<string, unknown> {
  const picked: Record<string, unknown> = {};
  for (const key of Object.keys(schema.properties)) {
    if (body[key] !== undefined) picked[key] = body[key];
  }
  return picked;
}
