import { isDeepStrictEqual } from 'node:util';
import type { SettingsBucket, Store } from '@headlesskey/platform';
import { readStoredSettings } from './read-model.js';

/**
 * Makes the settings bucket hold every stored setting, from which each replica of each service
 * applies it live. Run after each change and at start, so a crash between a commit and its
 * bucket write is made good by the next start. Under a lock, and reading the store inside it:
 * two replicas syncing after two changes can never leave the older values last.
 */
export async function syncSettingsBucket(store: Store, bucket: SettingsBucket): Promise<void> {
  await store.db.transaction(async (tx) => {
    await tx.execute("select pg_advisory_xact_lock(hashtext('settings_bucket'))");
    const stored = await readStoredSettings(tx);
    for (const [name, value] of Object.entries(stored)) {
      if (!isDeepStrictEqual(await bucket.read(name), value)) await bucket.write(name, value);
    }
  });
}
