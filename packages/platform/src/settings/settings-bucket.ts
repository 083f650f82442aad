import { type KV, Kvm } from '@nats-io/kv';
import type { NatsConnection } from '@nats-io/transport-node';
import { decodeJson, encodeJson } from '../bus/codec.js';
import type { CommonConfig } from '../config/common.js';

/** Where the bucket is and how it is replicated: both from the process's common configuration. */
export type BucketPlace = Pick<CommonConfig, 'names' | 'streamReplicas'>;

/**
 * The instance's settings bucket, created on first use by whichever process comes first. The
 * replicas come with the name, never as a default: whoever creates it fixes them for good.
 */
export function openBucket(nc: NatsConnection, { names, streamReplicas }: BucketPlace): Promise<KV> {
  return new Kvm(nc).create(names.settingsBucket, { history: 5, replicas: streamReplicas });
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
