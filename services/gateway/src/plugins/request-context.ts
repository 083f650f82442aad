import type { RequestContext } from '@headlesskey/contracts';
import type { FastifyInstance, FastifyRequest } from 'fastify';

declare module 'fastify' {
  interface FastifyRequest {
    /** Who asked, as the gateway saw it; sent on every command. */
    readonly requestContext: RequestContext;
  }
}

/** Limits of `RequestContext` in contracts: a longer value would fail the command's schema. */
const MAX_IP = 64;
const MAX_USER_AGENT = 1024;
const MAX_DEVICE = 256;

/**
 * Decorates each request with its `RequestContext`. A getter rather than a hook: it costs nothing
 * on requests that send no command, and it sees the parsed body.
 */
export function registerRequestContext(app: FastifyInstance): void {
  app.decorateRequest('requestContext', {
    getter(this: FastifyRequest): RequestContext {
      return contextOf(this);
    },
  });
}

/** Builds the context: `request.ip` already honours only trusted proxies (Fastify's `trustProxy`). */
export function contextOf(request: FastifyRequest): RequestContext {
  const context: RequestContext = {
    ip: clip(request.ip ?? '', MAX_IP),
    userAgent: clip(request.headers['user-agent'] ?? '', MAX_USER_AGENT),
    requestId: request.id,
  };
  const device = deviceOf(request);
  if (device) context.device = device;
  return context;
}

/** The body's `device` names the device, else the `X-Device-Id` header (docs/api.md, POST /token). */
function deviceOf(request: FastifyRequest): string | undefined {
  const body = request.body as { device?: unknown } | undefined;
  const fromBody = typeof body?.device === 'string' ? body.device : undefined;
  const header = request.headers['x-device-id'];
  const device = fromBody || (typeof header === 'string' ? header.trim() : undefined);
  return device ? clip(device, MAX_DEVICE) : undefined;
}

function clip(value: string, max: number): string {
  return value.length > max ? value.slice(0, max) : value;
}
