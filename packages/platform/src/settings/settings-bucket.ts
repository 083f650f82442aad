import type { Names } from '@headlesskey/contracts';
import { type KV, Kvm } from '@nats-io/kv';
import type { NatsConnection } from '@nats-io/transport-node';
import { decodeJson, encodeJson } from '../bus/codec.js';

/** The instance's settings bucket, created on first use by whichever process comes first. */
export function openBucket(nc: NatsConnection, names: Names, replicas = 1): Promise<KV> {
  return new Kvm(nc).create(names.settingsBucket, { history: 5, replicas });
}

/** Write access to the settings bucket, for the service that owns the settings. */
export interface SettingsBucket {
  /** The key's JSON value; undefined when it is absent, deleted or not JSON. */
  read(name: string): Promise<unknown>;
  write(name: string, value: unknown): Promise<void>;
}

export async function openSettingsBucket(nc: NatsConnection, names: Names, replicas = 1): Promise<SettingsBucket> {
  const kv = await openBucket(nc, names, replicas);
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
