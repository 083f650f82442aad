import type { Names } from '@headlesskey/contracts';
import { jetstreamManager, RetentionPolicy, StorageType } from '@nats-io/jetstream';
import { type NatsConnection, nanos } from '@nats-io/transport-node';

/** Re-publishes of one event id inside this window are dropped by JetStream (`Nats-Msg-Id`). */
const DUPLICATE_WINDOW_MS = 10 * 60_000;

/** Creates the instance's event stream, or brings an existing one to this configuration. */
export async function ensureEventStream(nc: NatsConnection, names: Names, replicas = 1): Promise<void> {
  const jsm = await jetstreamManager(nc);
  const config = {
    name: names.eventStream,
    subjects: [names.events, `${names.instance}.dlq.>`],
    storage: StorageType.File,
    retention: RetentionPolicy.Limits,
    num_replicas: replicas,
    duplicate_window: nanos(DUPLICATE_WINDOW_MS),
  };
  try {
    await jsm.streams.info(names.eventStream);
    await jsm.streams.update(names.eventStream, config);
  } catch (err) {
    if ((err as { code?: number; status?: number }).status !== 404 && !String(err).includes('not found')) throw err;
    await jsm.streams.add(config);
  }
}
