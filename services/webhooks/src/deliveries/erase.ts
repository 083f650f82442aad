import { erasePersonal } from '@headlesskey/contracts';
import { aboutUser, type Sql } from '@headlesskey/platform';

/**
 * Erases a deleted user from the delivery log (README, Erasure): the bodies of deliveries about
 * them, or made by them as an administrator, keep their shape and ids and lose the personal fields.
 * A pending one is then sent erased; what a receiver already got is theirs.
 */
export async function eraseUserDeliveries(db: Sql, userId: number): Promise<void> {
  const about = aboutUser("(body::jsonb->'data')", undefined, userId);
  const rows = await db.execute<{ id: string; body: string }[]>(`select id, body from deliveries where ${about.sql}`, about.values);
  for (const row of rows) {
    await db.execute('update deliveries set body = ? where id = ?', [JSON.stringify(erasePersonal(JSON.parse(row.body))), row.id]);
  }
}
