import cors, { type FastifyCorsOptions } from '@fastify/cors';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { CorsConfig } from '../config.js';
import { sendError } from './errors.js';

/** What a browser may send and read across origins: the token header and the contract's own headers. */
const SHARED = {
  methods: ['GET', 'POST', 'PATCH', 'DELETE'],
  allowedHeaders: [
    'authorization',
    'content-type',
    'x-device-id',
    'idempotency-key',
    'x-headlesskey-site',
    'x-headlesskey-timestamp',
    'x-headlesskey-signature',
  ],
  exposedHeaders: ['retry-after', 'www-authenticate', 'idempotent-replayed'],
  maxAge: 600,
  // An OPTIONS without `Access-Control-Request-Method` is answered as a preflight, not as a bare 400.
  strictPreflight: false,
} satisfies FastifyCorsOptions;

/**
 * CORS (ASVS V3.4): any origin without credentials, or an allowlist whose exact origins alone are
 * answered with themselves and `Access-Control-Allow-Credentials` — never `*` or a reflected
 * unlisted origin with credentials. The origin is judged per request, which also makes the plugin
 * add `Vary: Origin` to every answer, so no cache hands one origin's answer to another.
 * Preflights are answered in `onRequest`, before any route's bearer guard: they need no token.
 */
export function registerCors(app: FastifyInstance, config: CorsConfig): void {
  if (!config.enabled) return;
  const listed = config.origins === 'any' ? undefined : new Set(config.origins);
  const allowed = (origin: string | undefined): string | false => {
    // Without an `Origin` header the caller is no browser: nothing to allow (an OPTIONS gets a 404).
    if (origin === undefined) return false;
    if (!listed) return '*';
    return listed.has(origin) ? origin : false;
  };
  app.addHook('onRequest', refuseUnlistedPreflight(allowed));
  // A function of the origin, not a delegator of whole options: the plugin then prepares its
  // options once, where a delegator's are merged and normalised again on every request.
  app.register(cors, { ...SHARED, credentials: listed !== undefined, origin: (origin, callback) => callback(null, allowed(origin)) });
}

/**
 * The preflight of an origin that is not allowed (an OPTIONS with an `Origin`, as the plugin takes
 * one) is answered 403 with no `Access-Control-*` header. The Fetch standard fails a preflight
 * whose answer lacks `Access-Control-Allow-Origin`, or whose status is not 2xx, so the browser
 * refuses the request whatever the status; 403 also tells a person with curl or a log what
 * happened, where the plugin would pass it on to "no such route" (404), which is untrue.
 * `Vary: Origin`, so no cache hands this refusal to an allowed origin.
 */
function refuseUnlistedPreflight(allowed: (origin: string | undefined) => string | false) {
  return async (request: FastifyRequest, reply: FastifyReply) => {
    const origin = request.headers.origin;
    if (request.method !== 'OPTIONS' || origin === undefined || allowed(origin) !== false) return;
    reply.header('vary', 'Origin');
    return sendError(reply, { code: 'headlesskey_forbidden', message: 'This origin may not call the API from a browser.' });
  };
}
