import type { CommandDef, EventEnvelope } from '@headlesskey/contracts';
import { jetstream } from '@nats-io/jetstream';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import { context, propagation, type SpanContext, SpanKind, trace } from '@opentelemetry/api';
import { node, tracing } from '@opentelemetry/sdk-node';
import { Type } from '@sinclair/typebox';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { backendUrls, dropInstance, uniqueInstance } from '../../../../test/support/instance.js';
import { encodeJson } from '../bus/codec.js';
import { createCommandClient } from '../bus/command-client.js';
import { type CommandServer, createCommandServer } from '../bus/command-server.js';
import { ack, runEventConsumer } from '../bus/event-consumer.js';
import { ensureEventStream } from '../bus/event-stream.js';
import { createLogger } from '../logging/logger.js';
import { metaFrom } from '../store/event-meta.js';

const exporter = new tracing.InMemorySpanExporter();
const provider = new node.NodeTracerProvider({ spanProcessors: [new tracing.SimpleSpanProcessor(exporter)] });
// The W3C propagator and the AsyncLocalStorage context manager, as the SDK sets them up in a service.
provider.register();
const testTracer = trace.getTracer('test');

const whoAmI = Object.freeze({
  service: 'identity',
  name: 'whoami',
  request: Type.Object({}),
  reply: Type.Object({ traceId: Type.String() }),
}) satisfies CommandDef;

const names = uniqueInstance();
const { natsUrl } = backendUrls();
const logger = createLogger('test', 'silent');
let nc: NatsConnection;
let server: CommandServer;

beforeAll(async () => {
  nc = await connect({ servers: natsUrl });
  server = createCommandServer(nc, names, 'identity', logger).on(whoAmI, async () => ({
    traceId: trace.getActiveSpan()?.spanContext().traceId ?? 'none',
  }));
  server.listen();
  await nc.flush();
});

afterAll(async () => {
  await server?.close();
  await nc?.close();
  await dropInstance(names);
  await provider.shutdown();
  trace.disable();
  context.disable();
  propagation.disable();
});

/** Runs `fn` inside an active span of the test and returns that span's context. */
async function inOuterSpan(fn: () => Promise<void>): Promise<SpanContext> {
  return testTracer.startActiveSpan('outer', async (span) => {
    try {
      await fn();
      return span.spanContext();
    } finally {
      span.end();
    }
  });
}

const finished = (name: string) => exporter.getFinishedSpans().filter((s) => s.name === name);

describe('trace context', () => {
  it('goes from a command’s sender to its handler: same trace, the client span as parent', async () => {
    exporter.reset();
    const client = createCommandClient(nc, names);
    let reply: unknown;
    const outer = await inOuterSpan(async () => {
      reply = await client.send(whoAmI, {});
    });

    const [clientSpan] = finished('send identity.whoami');
    const [serverSpan] = finished('identity.whoami');
    if (!clientSpan || !serverSpan) throw new Error('missing spans');
    expect(clientSpan.kind).toBe(SpanKind.CLIENT);
    expect(clientSpan.spanContext().traceId).toBe(outer.traceId);
    expect(clientSpan.parentSpanContext?.spanId).toBe(outer.spanId);
    expect(serverSpan.kind).toBe(SpanKind.SERVER);
    expect(serverSpan.spanContext().traceId).toBe(outer.traceId);
    expect(serverSpan.parentSpanContext?.spanId).toBe(clientSpan.spanContext().spanId);
    expect(serverSpan.parentSpanContext?.isRemote).toBe(true);
    // The handler runs inside the server span.
    expect(reply).toEqual({ ok: true, data: { traceId: outer.traceId } });
  });

  it('starts a fresh trace on the server when the sender had none', async () => {
    exporter.reset();
    const reply = await createCommandClient(nc, names).send(whoAmI, {});
    const [clientSpan] = finished('send identity.whoami');
    const [serverSpan] = finished('identity.whoami');
    expect(clientSpan?.parentSpanContext).toBeUndefined();
    expect(serverSpan?.spanContext().traceId).toBe(clientSpan?.spanContext().traceId);
    expect(reply).toEqual({ ok: true, data: { traceId: clientSpan?.spanContext().traceId } });
  });

  it('goes from a request into its events’ metadata, and on into their consumer', async () => {
    exporter.reset();
    await ensureEventStream(nc, names);
    const request = { ip: '198.51.100.7', userAgent: 'curl/8', requestId: 'req-7' };
    let envelope: EventEnvelope | undefined;
    const outer = await inOuterSpan(async () => {
      envelope = {
        id: '0190f5c6-7a38-7b3e-8f00-000000000001',
        type: 'user.registered',
        stream: 'user-7',
        version: 1,
        occurredAt: new Date().toISOString(),
        data: {},
        meta: metaFrom(request, 7),
      };
    });
    expect(envelope?.meta).toEqual({
      traceparent: `00-${outer.traceId}-${outer.spanId}-01`,
      correlationId: 'req-7',
      ip: '198.51.100.7',
      userAgent: 'curl/8',
      actor: '7',
      device: undefined,
    });

    let seen: SpanContext | undefined;
    let handled!: () => void;
    const wasHandled = new Promise<void>((resolve) => {
      handled = resolve;
    });
    const consumer = await runEventConsumer({
      nc,
      names,
      durable: 'trace_test',
      logger,
      handle: async () => {
        seen = trace.getActiveSpan()?.spanContext();
        handled();
        return ack;
      },
    });
    await jetstream(nc).publish(names.event('identity', 'user.registered'), encodeJson(envelope));
    await wasHandled;
    await consumer.stop();

    const [consumerSpan] = finished('consume user.registered');
    expect(consumerSpan?.kind).toBe(SpanKind.CONSUMER);
    expect(consumerSpan?.spanContext().traceId).toBe(outer.traceId);
    expect(consumerSpan?.parentSpanContext?.spanId).toBe(outer.spanId);
    expect(seen?.spanId).toBe(consumerSpan?.spanContext().spanId);
  });
});
