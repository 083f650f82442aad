import type { EventMeta, ResetDelivery } from '@headlesskey/contracts';
import type { Sql } from '@headlesskey/platform';

/** A mail about a change already made: sent to the account's address, it asks for nothing. */
export type SecurityNotice = 'password_reset' | 'password_changed';

interface QueuedMail {
  id: string;
  /** The request's event metadata (IP, device, trace), for the events the worker records and the notices it sends. */
  meta: EventMeta;
  requestedAt: number;
  /** Counting this one. */
  attempts: number;
}

/**
 * A reset request (or, `VerifyMailJob`, an email verification) waiting for its mail. It holds no
 * secret: the secret is made when the mail is.
 */
export interface ResetMailJob extends AddressedMail {
  kind: 'reset';
}

export interface VerifyMailJob extends AddressedMail {
  kind: 'verify_email';
}

/** A mail to whichever account a typed login names, if any. */
interface AddressedMail extends QueuedMail {
  /** The canonical typed login; the worker, not the request, finds out whether it names anyone. */
  loginKey: string;
  delivery: ResetDelivery;
}

/** A security notice waiting to be mailed; `requestedAt` is when the change was made. */
export interface NoticeMailJob extends QueuedMail {
  kind: SecurityNotice;
  userId: number;
}

export type MailJob = ResetMailJob | VerifyMailJob | NoticeMailJob;

/** What a request queues: a reset's typed login and delivery, or a notice's user. */
export type QueuedJob =
  | (Pick<ResetMailJob, 'id' | 'loginKey' | 'delivery' | 'meta'> & { kind?: 'reset' | 'verify_email' })
  | Pick<NoticeMailJob, 'id' | 'kind' | 'userId' | 'meta'>;

/**
 * Queues a job: one insert, the whole of what a request does. A notice is queued in the
 * transaction of the change it tells of, so both commit or neither.
 */
export async function enqueueMailJob(tx: Sql, job: QueuedJob): Promise<void> {
  const notice = 'userId' in job;
  await tx.execute('insert into reset_mail_jobs (id, kind, login_key, delivery, user_id, meta) values (?, ?, ?, ?, ?, ?::jsonb)', [
    job.id,
    job.kind ?? 'reset',
    notice ? null : job.loginKey,
    notice ? null : job.delivery,
    notice ? job.userId : null,
    JSON.stringify(job.meta),
  ]);
}

interface JobRow {
  id: string;
  kind: MailJob['kind'];
  login_key: string | null;
  delivery: ResetDelivery | null;
  user_id: number | null;
  meta: EventMeta;
  requested_at: number;
  attempts: number;
}

/**
 * Leases the oldest due job for `leaseSeconds`: other replicas skip it, and if this one dies
 * mid-send the job comes due again when the lease runs out, so no request is lost.
 */
export async function claimMailJob(tx: Sql, leaseSeconds: number): Promise<MailJob | undefined> {
  const [row] = await tx.execute<JobRow[]>(
    `update reset_mail_jobs set attempts = attempts + 1, not_before = now() + make_interval(secs => ?)
     where id = (select id from reset_mail_jobs where not_before <= now() order by not_before limit 1 for update skip locked)
     returning id, kind, login_key, delivery, user_id, meta, attempts, (extract(epoch from requested_at) * 1000)::float8 as requested_at`,
    [leaseSeconds],
  );
  if (!row) return undefined;
  const common = { id: row.id, meta: row.meta, requestedAt: row.requested_at, attempts: row.attempts };
  // The table's check constraint guarantees the fields of each kind.
  if (row.kind === 'reset' || row.kind === 'verify_email')
    return { ...common, kind: row.kind, loginKey: row.login_key!, delivery: row.delivery! };
  return { ...common, kind: row.kind, userId: row.user_id! };
}

export async function completeMailJob(tx: Sql, id: string): Promise<void> {
  await tx.execute('delete from reset_mail_jobs where id = ?', [id]);
}

/** Puts a job back for a later try, after its mail could not be handed to the SMTP server. */
export async function deferMailJob(tx: Sql, id: string, delayMs: number): Promise<void> {
  await tx.execute('update reset_mail_jobs set not_before = now() + make_interval(secs => ?) where id = ?', [delayMs / 1000, id]);
}
