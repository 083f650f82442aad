import type { KV } from '@nats-io/kv';
import type { NatsConnection } from '@nats-io/transport-node';
import { decodeJson, encodeJson } from '../bus/codec.js';
import { type BucketPlace, openInstanceBucket } from '../bus/kv.js';

/** The instance's settings bucket, kept with a little history. */
export function openBucket(nc: NatsConnection, place: BucketPlace): Promise<KV> {
  return openInstanceBucket(nc, place, 'settingsBucket', { history: 5 });
}

/** Write access to the settings bucket, for the service that owns the settings. */
export interface SettingsBucket {
  /** The key's JSON value; undefined when it is absent, deleted or not JSON. */
  read(name: string): Promise<unknown>;
  write(name: string, value: unknown): Promise<void>;
}

export async function openSettingsBucket(nc: NatsConnection, place: BucketPlace): Promise<SettingsBucket> {
  const kv = await openBucket(nc, place);
  return {
    async read(name) {
      const entry = await kv.get(name);
      if (entry?.operation !== 'PUT') return undefined;
      try {
        return decodeJson(entry.value);
      } catch {
        return undefined;
      }
    },
    async write(name, value) {
      await kv.put(name, encodeJson(value));
    },
  };
}
