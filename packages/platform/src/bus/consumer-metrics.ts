import { METRICS } from '@headlesskey/contracts';
import type { Consumer, JsMsg } from '@nats-io/jetstream';
import { observe, recorder } from '../telemetry/metrics.js';

const lag = recorder(METRICS.consumerLag);

export interface ConsumerMetrics {
  /** Records how old an event was, from its publication, when the consumer settled it. */
  settled(msg: JsMsg): void;
  stop(): void;
}

/**
 * A durable's metrics, by its name: what it has yet to handle (asked of the server at each
 * collection, so a stuck or stopped consumer shows too: the same number from each replica), and
 * the age of the last event it handled.
 */
export function consumerMetrics(durable: string, consumer: Consumer): ConsumerMetrics {
  const attributes = { consumer: durable };
  const stop = observe(METRICS.consumerPending, async (result) => {
    const info = await consumer.info();
    result.observe(info.num_pending + info.num_ack_pending, attributes);
  });
  return {
    settled: (msg) => lag.record(Math.max(0, Date.now() - Number(msg.timestampNanos / 1_000_000n)) / 1000, attributes),
    stop,
  };
}
