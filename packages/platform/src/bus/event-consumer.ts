import { EventEnvelope as EnvelopeSchema, type EventEnvelope, type Names } from '@headlesskey/contracts';
import { AckPolicy, DeliverPolicy, type JsMsg, jetstream, jetstreamManager } from '@nats-io/jetstream';
import { type NatsConnection, nanos } from '@nats-io/transport-node';
import { ROOT_CONTEXT } from '@opentelemetry/api';
import type { Logger } from 'pino';
import { throughDatabaseOutages } from '../store/outage.js';
import { extractTrace, inSpan, SpanKind, tracer } from '../telemetry/propagation.js';
import { Batcher } from './batches.js';
import { checker, decodeJson, encodeJson } from './codec.js';
import { consumerMetrics } from './consumer-metrics.js';

/** What a handler makes of one event: done, try later, or never (dead-lettered). */
export type Outcome = { kind: 'ack' } | { kind: 'retry'; delayMs: number } | { kind: 'poison'; reason: string };

export const ack: Outcome = { kind: 'ack' };
export const retry = (delayMs: number): Outcome => ({ kind: 'retry', delayMs });
export const poison = (reason: string): Outcome => ({ kind: 'poison', reason });

export interface ConsumerOptions {
  nc: NatsConnection;
  names: Names;
  /** The durable's name, shared by every replica of the consuming service. */
  durable: string;
  /**
   * One event at a time; or, with `handleBatch`, the events that arrived together (in stream
   * order), one outcome each: a busy consumer then pays one transaction for many events.
   */
  handle?(event: EventEnvelope): Promise<Outcome>;
  handleBatch?(events: readonly EventEnvelope[]): Promise<Outcome[]>;
  /**
   * How long a batch waits for more events after the first, when none are queued: fewer, larger
   * transactions for a little latency. 0 (the default) handles each event as soon as it comes.
   */
  lingerMs?: number;
  /** The events it wants, as a subject filter: every event of the instance unless given. */
  filterSubject?: string;
  logger: Logger;
  maxDeliver?: number;
}

export interface RunningConsumer {
  /** Stops pulling and waits for the event being handled. */
  stop(): Promise<void>;
}

/**
 * A durable pull consumer of every event of the instance. A thrown error counts as transient
 * (nak with backoff) until `maxDeliver`, after which the event is dead-lettered, never looped on;
 * a database outage is waited out instead, and counts no delivery.
 */
export async function runEventConsumer(opts: ConsumerOptions): Promise<RunningConsumer> {
  const { nc, names, durable, logger } = opts;
  const maxDeliver = opts.maxDeliver ?? 20;
  const jsm = await jetstreamManager(nc);
  const config = {
    durable_name: durable,
    ack_policy: AckPolicy.Explicit,
    deliver_policy: DeliverPolicy.All,
    // Fixed at creation: a durable made earlier keeps its filter, and its handler ignores the rest.
    filter_subject: opts.filterSubject ?? names.events,
    ack_wait: nanos(30_000),
    max_deliver: maxDeliver,
    // What the server hands out before acks come back, across replicas: this bounds the queue
    // each replica holds (the callback below takes every message as it comes).
    max_ack_pending: MAX_ACK_PENDING,
  };
  try {
    await jsm.consumers.add(names.eventStream, config);
  } catch (err) {
    // An existing durable with another config: keep its position, take the new limits.
    const limits = { ack_wait: config.ack_wait, max_deliver: maxDeliver, max_ack_pending: MAX_ACK_PENDING };
    await jsm.consumers.update(names.eventStream, durable, limits).catch(() => {
      throw err;
    });
  }
  const consumer = await jetstream(nc).consumers.get(names.eventStream, durable);
  const metrics = consumerMetrics(durable, consumer);
  const batcher = new Batcher<JsMsg>({ max: MAX_BATCH, lingerMs: opts.lingerMs ?? 0 });
  // A callback, not the async iterator: a third of the client CPU per message.
  const messages = await consumer.consume({ max_messages: 256, callback: (msg) => batcher.push(msg) });
  void messages.closed().then(
    (err) => batcher.end(err ?? undefined),
    (err: unknown) => batcher.end(err),
  );
  const deadLetter = (msg: JsMsg, reason: string) => {
    nc.publish(names.deadLetter(durable), encodeJson({ reason, subject: msg.subject, seq: msg.seq, data: msg.string() }));
    // A bare +TERM: servers before 2.10 ignore `+TERM <reason>` and would redeliver the event.
    msg.term();
  };

  const settle = (msg: JsMsg, outcome: Outcome) => {
    metrics.settled(msg);
    if (outcome.kind === 'ack') msg.ack();
    else if (outcome.kind === 'poison') deadLetter(msg, outcome.reason);
    else if (msg.info.deliveryCount >= maxDeliver) deadLetter(msg, 'gave up after retries');
    else msg.nak(outcome.delayMs);
  };
  let stopping = false;
  const handleMessages = async (batch: readonly JsMsg[]) => {
    const events: EventEnvelope[] = [];
    const carriers: JsMsg[] = [];
    for (const msg of batch) {
      const event = envelopeOf(msg);
      if (typeof event === 'string') deadLetter(msg, event);
      else {
        events.push(event);
        carriers.push(msg);
      }
    }
    const failed = (err: unknown, some: readonly EventEnvelope[]) => {
      logger.warn({ err, events: some.map((e) => e.id) }, 'event handling failed; will retry');
    };
    const later = (msg: JsMsg) => retry(backoffMs(msg.info.deliveryCount));
    if (opts.handleBatch) {
      const handleBatch = opts.handleBatch;
      if (events.length === 0) return;
      const outcomes = await inBatchSpan(events, () =>
        throughOutages(
          () => handleBatch(events),
          carriers,
          logger,
          () => stopping,
        ).catch((err: unknown) => {
          failed(err, events);
          return carriers.map(later);
        }),
      );
      for (const [i, msg] of carriers.entries()) settle(msg, outcomes[i] ?? later(msg));
      return;
    }
    const handle = opts.handle;
    if (!handle) throw new Error('runEventConsumer needs handle or handleBatch');
    for (const [i, event] of events.entries()) {
      const msg = carriers[i] as JsMsg;
      const outcome = await inSpan(`consume ${event.type}`, SpanKind.CONSUMER, extractTrace(event.meta), () =>
        throughOutages(
          () => handle(event),
          [msg],
          logger,
          () => stopping,
        ).catch((err: unknown) => {
          failed(err, [event]);
          return later(msg);
        }),
      );
      settle(msg, outcome);
    }
  };

  const loop = (async () => {
    for await (const batch of batcher.batches()) {
      // Events still queued at a stop are left unacked: the next consumer gets them again.
      if (stopping) break;
      await handleMessages(batch);
    }
  })();

  return {
    async stop() {
      stopping = true;
      await messages.close();
      await loop;
      metrics.stop();
    },
  };
}

/** The most events handed to one `handleBatch`. */
const MAX_BATCH = 128;
/** The most events a durable has out unacked. */
const MAX_ACK_PENDING = 1024;

/** A message's event, or why it can never be one. */
function envelopeOf(msg: JsMsg): EventEnvelope | string {
  let event: unknown;
  try {
    event = decodeJson(msg.data);
  } catch {
    return 'not JSON';
  }
  return checker(EnvelopeSchema).Check(event) ? event : 'not an event envelope';
}

/**
 * Every event gets a `consume` span in its own trace, as a child of the span that raised it. A
 * batch's work (its transaction, its queries) belongs to no single one of them: it runs in a span
 * of its own, linked to each event's.
 */
async function inBatchSpan<T>(events: readonly EventEnvelope[], fn: () => Promise<T>): Promise<T> {
  const [first] = events;
  if (events.length === 1 && first) return inSpan(`consume ${first.type}`, SpanKind.CONSUMER, extractTrace(first.meta), fn);
  const spans = events.map((event) => tracer.startSpan(`consume ${event.type}`, { kind: SpanKind.CONSUMER }, extractTrace(event.meta)));
  const links = spans.filter((span) => span.isRecording()).map((span) => ({ context: span.spanContext() }));
  try {
    return await inSpan(`consume ${events.length} events`, SpanKind.CONSUMER, ROOT_CONTEXT, fn, {}, links);
  } finally {
    for (const span of spans) span.end();
  }
}

/**
 * Runs `handle` again while it fails because the database is out of reach, keeping its events'
 * deliveries alive (`working()`) meanwhile: an outage is no fault of the events, and a few minutes
 * of one must not use up their `maxDeliver` and dead-letter every event of the time. Any other
 * error, or a stop, is thrown for the usual retry; a stopped consumer's events go back unacked.
 */
function throughOutages<T>(handle: () => Promise<T>, msgs: readonly JsMsg[], logger: Logger, stopping: () => boolean): Promise<T> {
  return throughDatabaseOutages(handle, {
    giveUp: stopping,
    onWait: (attempt, err) => {
      if (attempt === 1) logger.warn({ err }, 'database unavailable; holding the events until it is back');
      for (const msg of msgs) msg.working();
    },
  });
}

function backoffMs(attempt: number): number {
  return Math.min(30_000, 250 * 2 ** Math.max(0, attempt - 1));
}
