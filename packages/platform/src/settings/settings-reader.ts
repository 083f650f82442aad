import { DEFAULT_SETTINGS, type SettingName, Settings } from '@headlesskey/contracts';
import type { NatsConnection } from '@nats-io/transport-node';
import type { Logger } from 'pino';
import { checker, decodeJson } from '../bus/codec.js';
import type { BucketPlace } from '../bus/kv.js';
import { openBucket } from './settings-bucket.js';

export interface SettingsReader {
  /** The settings in force now: the bucket's values over the defaults (docs/api.md, Settings). */
  current(): Settings;
  stop(): Promise<void>;
}

const settingCheck = (name: SettingName, value: unknown): boolean => checker(Settings.properties[name]).Check(value);

/**
 * Watches the instance's `settings` KV bucket (one key per setting, JSON values). A key that is
 * absent, deleted or holds a value outside the schema falls back to its default.
 */
export async function watchSettings(nc: NatsConnection, place: BucketPlace, logger: Logger): Promise<SettingsReader> {
  const kv = await openBucket(nc, place);
  let values: Settings = { ...DEFAULT_SETTINGS };
  const watcher = await kv.watch();
  let initialised!: () => void;
  const ready = new Promise<void>((resolve) => {
    initialised = resolve;
  });
  const loop = (async () => {
    for await (const entry of watcher) {
      const name = entry.key as SettingName;
      if (name in DEFAULT_SETTINGS) {
        const next = { ...values };
        const value = entry.operation === 'PUT' ? safeDecode(entry.value) : undefined;
        if (value !== undefined && settingCheck(name, value)) (next as Record<string, unknown>)[name] = value;
        else {
          if (value !== undefined) logger.warn({ setting: name }, 'ignoring invalid setting value');
          (next as Record<string, unknown>)[name] = DEFAULT_SETTINGS[name];
        }
        values = next;
      }
      if (entry.delta === 0) initialised();
    }
  })();
  // An empty bucket sends nothing: do not wait for a first entry that never comes.
  const status = await kv.status();
  if (status.values === 0) initialised();
  await ready;
  return {
    current: () => values,
    async stop() {
      watcher.stop();
      await loop;
    },
  };
}

function safeDecode(bytes: Uint8Array): unknown {
  try {
    return decodeJson(bytes);
  } catch {
    return undefined;
  }
}
