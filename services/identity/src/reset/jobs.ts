import type { EventMeta, ResetDelivery } from '@headlesskey/contracts';
import type { Sql } from '@headlesskey/platform';

/** A reset request waiting for its mail. It holds no secret: the secret is made when the mail is. */
export interface MailJob {
  id: string;
  /** The canonical typed login; the worker, not the request, finds out whether it names anyone. */
  loginKey: string;
  delivery: ResetDelivery;
  /** The request's event metadata (IP, device, trace), for the events the worker records. */
  meta: EventMeta;
  requestedAt: number;
  /** Counting this one. */
  attempts: number;
}

/** Queues a job: one insert, the whole of what a request does. */
export async function enqueueMailJob(tx: Sql, job: Pick<MailJob, 'id' | 'loginKey' | 'delivery' | 'meta'>): Promise<void> {
  await tx.execute('insert into reset_mail_jobs (id, login_key, delivery, meta) values (?, ?, ?, ?::jsonb)', [
    job.id,
    job.loginKey,
    job.delivery,
    JSON.stringify(job.meta),
  ]);
}

/**
 * Leases the oldest due job for `leaseSeconds`: other replicas skip it, and if this one dies
 * mid-send the job comes due again when the lease runs out, so no request is lost.
 */
export async function claimMailJob(tx: Sql, leaseSeconds: number): Promise<MailJob | undefined> {
  const [row] = await tx.execute<
    { id: string; login_key: string; delivery: ResetDelivery; meta: EventMeta; requested_at: number; attempts: number }[]
  >(
    `update reset_mail_jobs set attempts = attempts + 1, not_before = now() + make_interval(secs => ?)
     where id = (select id from reset_mail_jobs where not_before <= now() order by not_before limit 1 for update skip locked)
     returning id, login_key, delivery, meta, attempts, (extract(epoch from requested_at) * 1000)::float8 as requested_at`,
    [leaseSeconds],
  );
  if (!row) return undefined;
  return {
    id: row.id,
    loginKey: row.login_key,
    delivery: row.delivery,
    meta: row.meta,
    requestedAt: row.requested_at,
    attempts: row.attempts,
  };
}

export async function completeMailJob(tx: Sql, id: string): Promise<void> {
  await tx.execute('delete from reset_mail_jobs where id = ?', [id]);
}

/** Puts a job back for a later try, after its mail could not be handed to the SMTP server. */
export async function deferMailJob(tx: Sql, id: string, delayMs: number): Promise<void> {
  await tx.execute('update reset_mail_jobs set not_before = now() + make_interval(secs => ?) where id = ?', [delayMs / 1000, id]);
}
