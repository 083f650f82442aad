import { EventEnvelope as EnvelopeSchema, type EventEnvelope, type Names } from '@headlesskey/contracts';
import { AckPolicy, DeliverPolicy, type JsMsg, jetstream, jetstreamManager } from '@nats-io/jetstream';
import { type NatsConnection, nanos } from '@nats-io/transport-node';
import type { Logger } from 'pino';
import { extractTrace, inSpan, SpanKind } from '../telemetry/propagation.js';
import { checker, decodeJson, encodeJson } from './codec.js';

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
  handle(event: EventEnvelope): Promise<Outcome>;
  logger: Logger;
  maxDeliver?: number;
}

export interface RunningConsumer {
  /** Stops pulling and waits for the event being handled. */
  stop(): Promise<void>;
}

/**
 * A durable pull consumer of every event of the instance. A thrown error counts as transient
 * (nak with backoff) until `maxDeliver`, after which the event is dead-lettered, never looped on.
 */
export async function runEventConsumer(opts: ConsumerOptions): Promise<RunningConsumer> {
  const { nc, names, durable, logger } = opts;
  const maxDeliver = opts.maxDeliver ?? 20;
  const jsm = await jetstreamManager(nc);
  const config = {
    durable_name: durable,
    ack_policy: AckPolicy.Explicit,
    deliver_policy: DeliverPolicy.All,
    filter_subject: names.events,
    ack_wait: nanos(30_000),
    max_deliver: maxDeliver,
  };
  try {
    await jsm.consumers.add(names.eventStream, config);
  } catch (err) {
    // An existing durable with another config: keep its position, take the new limits.
    await jsm.consumers.update(names.eventStream, durable, { ack_wait: config.ack_wait, max_deliver: maxDeliver }).catch(() => {
      throw err;
    });
  }
  const consumer = await jetstream(nc).consumers.get(names.eventStream, durable);
  const messages = await consumer.consume({ max_messages: 256 });
  const deadLetter = (msg: JsMsg, reason: string) => {
    nc.publish(names.deadLetter(durable), encodeJson({ reason, subject: msg.subject, seq: msg.seq, data: msg.string() }));
    // A bare +TERM: servers before 2.10 ignore `+TERM <reason>` and would redeliver the event.
    msg.term();
  };

  const loop = (async () => {
    for await (const msg of messages) {
      let event: EventEnvelope;
      try {
        event = decodeJson(msg.data) as EventEnvelope;
      } catch {
        deadLetter(msg, 'not JSON');
        continue;
      }
      if (!checker(EnvelopeSchema).Check(event)) {
        deadLetter(msg, 'not an event envelope');
        continue;
      }
      const outcome = await inSpan(`consume ${event.type}`, SpanKind.CONSUMER, extractTrace(event.meta), () =>
        opts.handle(event).catch((err: unknown): Outcome => {
          logger.warn({ err, event: event.id }, 'event handling failed; will retry');
          return retry(backoffMs(msg.info.deliveryCount));
        }),
      );
      if (outcome.kind === 'ack') msg.ack();
      else if (outcome.kind === 'poison') deadLetter(msg, outcome.reason);
      else if (msg.info.deliveryCount >= maxDeliver) deadLetter(msg, 'gave up after retries');
      else msg.nak(outcome.delayMs);
    }
  })();

  return {
    async stop() {
      await messages.close();
      await loop;
    },
  };
}

function backoffMs(attempt: number): number {
  return Math.min(30_000, 250 * 2 ** Math.max(0, attempt - 1));
}
