import { extractTrace, SpanKind, tracer } from '@headlesskey/platform';
import { type Context, context, type Span, SpanStatusCode, trace } from '@opentelemetry/api';
import type { FastifyInstance, FastifyReply, FastifyRequest, onRequestHookHandler, RouteOptions } from 'fastify';

declare module 'fastify' {
  interface FastifyRequest {
    /** The request's SERVER span, until it ends. */
    traceSpan: Span | null;
    /** The span's context, active while the handler runs. */
    traceContext: Context | null;
  }
}

/**
 * One manual SERVER span per routed request, continuing the caller's W3C trace. The route's span
 * name and attributes are worked out once, when the route is added, because this runs on every
 * request. Unknown routes get no span: they send no command, so there is nothing to follow.
 */
export function registerTracing(app: FastifyInstance): void {
  app.decorateRequest('traceSpan', null);
  app.decorateRequest('traceContext', null);
  app.addHook('onRoute', (route) => {
    const methods = Array.isArray(route.method) ? route.method.join(',') : route.method;
    const startHook = startSpan(`${methods} ${route.url}`, route.url);
    route.onRequest = [startHook, ...asArray(route.onRequest)];
    route.onResponse = [endSpanHook, ...asArray(route.onResponse)];
    route.onRequestAbort = [endSpanOnAbort, ...asArray(route.onRequestAbort)];
    route.handler = inSpanContext(route.handler);
  });
}

function startSpan(name: string, httpRoute: string): onRequestHookHandler {
  return function startSpanHook(request, _reply, done) {
    const parent = extractTrace(request.headers as { traceparent?: string });
    const span = tracer.startSpan(name, { kind: SpanKind.SERVER }, parent);
    // Unsampled spans record nothing, so their attributes are not even built.
    if (span.isRecording()) {
      span.setAttributes({
        'http.request.method': request.method,
        'http.route': httpRoute,
        // The path only: a query string may carry what a log must not.
        'url.path': request.url.split('?', 1)[0] ?? '',
        'client.address': request.ip ?? '',
        'user_agent.original': request.headers['user-agent'] ?? '',
      });
    }
    request.traceSpan = span;
    request.traceContext = trace.setSpan(parent, span);
    done();
  };
}

function endSpanHook(request: FastifyRequest, reply: FastifyReply, done: () => void): void {
  const span = request.traceSpan;
  if (span) {
    request.traceSpan = null;
    span.setAttribute('http.response.status_code', reply.statusCode);
    if (reply.statusCode >= 500) span.setStatus({ code: SpanStatusCode.ERROR });
    span.end();
  }
  done();
}

function endSpanOnAbort(request: FastifyRequest, done: () => void): void {
  const span = request.traceSpan;
  if (span) {
    request.traceSpan = null;
    span.setAttribute('http.request.aborted', true);
    span.end();
  }
  done();
}

/**
 * The handler runs inside the span's context, so the command client (which reads the active
 * context) puts this trace into the NATS headers. Hooks alone cannot do it: the body is read in
 * the socket's async context, which drops what `onRequest` set.
 */
function inSpanContext(handler: RouteOptions['handler']): RouteOptions['handler'] {
  return function tracedHandler(this: FastifyInstance, request, reply) {
    const ctx = request.traceContext;
    return ctx ? context.with(ctx, handler, this, request, reply) : handler.call(this, request, reply);
  };
}

function asArray<T>(hooks: T | T[] | undefined): T[] {
  if (hooks === undefined) return [];
  return Array.isArray(hooks) ? hooks : [hooks];
}
