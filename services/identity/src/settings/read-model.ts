import type { Sql } from '@headlesskey/platform';
import type { StoredSettings } from './settings.js';

/** The stored settings, by name. */
export async function readStoredSettings(tx: Sql): Promise<StoredSettings> {
  const rows = await tx.execute<{ name: string; value: unknown }[]>('select name, value from settings');
  return Object.fromEntries(rows.map((row) => [row.name, row.value]));
}

/** Writes the named settings' values, in the transaction of the events that changed them. */
export async function saveSettings(tx: Sql, names: readonly string[], values: StoredSettings): Promise<void> {
  const rows = names.map((name) => ({ name, value: values[name] }));
  if (rows.length === 0) return;
  await tx.execute(
    `insert into settings (name, value, changed_at)
     select x.name, x.value, now() from jsonb_to_recordset(?::jsonb) as x(name text, value jsonb)
     on conflict (name) do update set value = excluded.value, changed_at = excluded.changed_at`,
    [JSON.stringify(rows)],
  );
}
