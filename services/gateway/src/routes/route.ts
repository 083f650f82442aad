import type { CommandClient, Reply } from '@headlesskey/platform';
import type { Static, TObject, TSchema } from '@sinclair/typebox';
import type { FastifyPluginCallback, FastifyReply, FastifyRequest, HTTPMethods, RouteOptions } from 'fastify';
import { sendError } from '../plugins/errors.js';

/** What a handler gets: the body already checked against its schema and cut to its fields. */
export interface RouteInput<B> {
  body: B;
  request: FastifyRequest;
  bus: CommandClient;
}

/**
 * A route under the REST namespace, as data. The same entry registers the Fastify route and
 * describes it in the namespace index (and later the OpenAPI document).
 */
export interface ApiRoute<B extends TObject = TObject> {
  method: Extract<HTTPMethods, 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE'>;
  /** Relative to `/wp-json/{namespace}/{version}`, Fastify syntax (`/sessions/:id`). */
  url: string;
  body?: B;
  /** Success body schema; also drops any field a reply carries beyond it. */
  response?: TSchema;
  /** Success status, 200 unless given. */
  status?: number;
  /** Validate, build the command, send it: the reply becomes the answer. */
  handle(input: RouteInput<Static<B>>): Promise<Reply<unknown>>;
}

/** One file's routes: `token`, `register`, and so on. */
export interface RouteGroup {
  name: string;
  routes: readonly ApiRoute[];
}

/** Keeps each route's body type for its handler while the table holds them side by side. */
export function defineRoute<B extends TObject>(route: ApiRoute<B>): ApiRoute {
  return route as unknown as ApiRoute;
}

/** A route group as an encapsulated Fastify plugin. */
export function routeGroupPlugin(group: RouteGroup, bus: CommandClient): FastifyPluginCallback {
  const plugin: FastifyPluginCallback = (scope, _options, done) => {
    for (const route of group.routes) scope.route(toFastifyRoute(route, bus));
    done();
  };
  Object.defineProperty(plugin, 'name', { value: `routes:${group.name}` });
  return plugin;
}

function toFastifyRoute(route: ApiRoute, bus: CommandClient): RouteOptions {
  const status = route.status ?? 200;
  const schema: NonNullable<RouteOptions['schema']> = {};
  if (route.body) schema.body = route.body;
  if (route.response) schema.response = { [status]: route.response };
  const options: RouteOptions = {
    method: route.method,
    url: route.url,
    schema,
    handler: async (request, reply) => {
      const body = route.body ? knownFields(request.body as Record<string, unknown>, route.body) : {};
      const result = await route.handle({ body, request, bus });
      if (!result.ok) return sendError(reply, result.error);
      return reply.code(status).send(result.data);
    },
  };
  if (route.body) options.preValidation = noBodyIsEmpty;
  return options;
}

/**
 * A request with no body at all is treated as `{}`, so it is answered with the missing
 * parameters, as WordPress does, rather than "body must be object".
 */
function noBodyIsEmpty(request: FastifyRequest, _reply: FastifyReply, done: () => void): void {
  if (request.body === undefined || request.body === null) request.body = {};
  done();
}

/** Only the fields the schema declares reach a command: extra body fields never cross the bus. */
function knownFields(body: Record<string, unknown>, schema: TObject): Record<string, unknown> {
  const picked: Record<string, unknown> = {};
  for (const key of Object.keys(schema.properties)) {
    if (body[key] !== undefined) picked[key] = body[key];
  }
  return picked;
}
