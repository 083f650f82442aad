import { DomainError, type Sql } from '@headlesskey/platform';

/**
 * Refuses a change that would leave no active administrator, inside the change's transaction and
 * after its write. The lock makes such changes take turns: two administrators demoting each other
 * at once cannot both see the other still there.
 */
export async function assertAdministratorRemains(tx: Sql): Promise<void> {
  await tx.execute("select pg_advisory_xact_lock(hashtext('identity'), hashtext('administrators'))");
  const [row] = await tx.execute<{ n: number }[]>(
    `select count(*)::int as n from users where status = 'active' and roles @> '["administrator"]'::jsonb`,
  );
  if ((row?.n ?? 0) === 0) throw new DomainError('headlesskey_last_administrator');
}
