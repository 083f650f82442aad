import type { Names } from '@headlesskey/contracts';
import { jetstreamManager, RetentionPolicy, StorageType, type StreamConfig } from '@nats-io/jetstream';
import { type NatsConnection, nanos } from '@nats-io/transport-node';

/** Re-publishes of one event id inside this window are dropped by JetStream (`Nats-Msg-Id`). */
const DUPLICATE_WINDOW_MS = 10 * 60_000;
const ATTEMPTS = 6;

/**
 * Creates the instance's event stream, or brings an existing one to this configuration. Every
 * service calls this at start; on a cluster, creators racing each other can see a request time
 * out while another's is being applied, so each step is retried after looking again.
 */
export async function ensureEventStream(nc: NatsConnection, names: Names, replicas = 1): Promise<void> {
  const jsm = await jetstreamManager(nc);
  const wanted = {
    name: names.eventStream,
    subjects: [names.events, `${names.instance}.dlq.>`],
    storage: StorageType.File,
    retention: RetentionPolicy.Limits,
    num_replicas: replicas,
    duplicate_window: nanos(DUPLICATE_WINDOW_MS),
  };
  for (let attempt = 1; ; attempt++) {
    try {
      const current = await jsm.streams.info(names.eventStream).then(
        (info) => info.config,
        (err) => (isNotFound(err) ? undefined : Promise.reject(err)),
      );
      if (!current) await jsm.streams.add(wanted);
      else if (differs(current, wanted)) await jsm.streams.update(names.eventStream, { ...current, ...wanted });
      return;
    } catch (err) {
      if (attempt >= ATTEMPTS) throw err;
      await new Promise((resolve) => setTimeout(resolve, 200 * attempt));
    }
  }
}

function differs(current: StreamConfig, wanted: Partial<StreamConfig>): boolean {
  return (
    [...current.subjects].sort().join() !== [...(wanted.subjects ?? [])].sort().join() ||
    current.num_replicas !== wanted.num_replicas ||
    current.duplicate_window !== wanted.duplicate_window
  );
}

function isNotFound(err: unknown): boolean {
  const e = err as { status?: number; code?: number; message?: string };
  return e.status === 404 || e.code === 404 || Boolean(e.message?.includes('not found'));
}
