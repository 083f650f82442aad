import { type MsgHdrs, headers as natsHeaders } from '@nats-io/transport-node';
import { type Context, context, type Link, propagation, type Span, SpanKind, SpanStatusCode, trace } from '@opentelemetry/api';

export const tracer = trace.getTracer('headlesskey');

/** Writes the active trace context into NATS headers (W3C `traceparent`). */
export function injectTrace(hdrs: MsgHdrs = natsHeaders(), ctx: Context = context.active()): MsgHdrs {
  propagation.inject(ctx, hdrs, { set: (carrier, key, value) => carrier.set(key, value) });
  return hdrs;
}

/** The trace context a NATS message or an event's metadata carries. */
export function extractTrace(carrier: MsgHdrs | { traceparent?: string } | undefined): Context {
  if (!carrier) return context.active();
  if ('get' in carrier && typeof carrier.get === 'function') {
    const hdrs = carrier as MsgHdrs;
    return propagation.extract(context.active(), hdrs, {
      get: (c, key) => c.get(key) || undefined,
      keys: (c) => c.keys(),
    });
  }
  const record = carrier as Record<string, string | undefined>;
  return propagation.extract(context.active(), record, {
    get: (c, key) => c[key],
    keys: (c) => Object.keys(c),
  });
}

/** The current `traceparent`, for an event's metadata. */
export function currentTraceparent(): string | undefined {
  const carrier: Record<string, string> = {};
  propagation.inject(context.active(), carrier);
  return carrier.traceparent;
}

/** Runs `fn` in a span that ends with it and records a thrown error. */
export async function inSpan<T>(
  name: string,
  kind: SpanKind,
  parent: Context,
  fn: (span: Span) => Promise<T>,
  attributes: Record<string, string | number | boolean> = {},
  links: Link[] = [],
): Promise<T> {
  return tracer.startActiveSpan(name, { kind, attributes, links }, parent, async (span) => {
    try {
      return await fn(span);
    } catch (err) {
      span.setStatus({ code: SpanStatusCode.ERROR });
      throw err;
    } finally {
      span.end();
    }
  });
}

export { SpanKind };
