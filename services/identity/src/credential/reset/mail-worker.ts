import { type Logger, startBackgroundLoop } from '@headlesskey/platform';
import type { Identity } from '../../identity.js';
import type { Mailer } from '../../mail/mailer.js';
import { noticeMail } from '../../mail/notices/notice-mail.js';
import { issueVerification } from '../../user/email-verification/issue.js';
import { issueReset } from './issue.js';
import { claimMailJob, completeMailJob, deferMailJob, type MailJob } from './jobs.js';

export interface MailWorker {
  /** A job was just queued here: look now rather than at the next poll. */
  wake(): void;
  /** Finishes the job in hand and stops. */
  stop(): Promise<void>;
}

export interface MailWorkerOptions {
  app: Identity;
  /** Undefined when no SMTP server is configured: requests are then dropped with a warning. */
  mailer: Mailer | undefined;
  logger: Logger;
  /** How often an idle worker looks for due jobs (retries, and jobs of a replica that died). */
  pollMs?: number;
}

/** Longer than one SMTP try can take (see the mailer's timeouts), so a lease never ends mid-send. */
const LEASE_SECONDS = 60;
const MAX_ATTEMPTS = 8;

/**
 * Sends reset mails, email verifications and security notices from the `reset_mail_jobs` queue, outside any request:
 * SMTP latency or an SMTP outage never shows in an answer. Every replica runs one; leases keep them
 * off each other's jobs. A job is deleted only once its mail was accepted (or there was nothing to
 * send), so a crash at any point means a retry, never a lost request; a retried reset job mails a
 * new secret, which voids the one that may have gone out before the crash.
 */
export function startMailWorker(opts: MailWorkerOptions): MailWorker {
  // A job queued while the worker is busy is kept for the sleep after, which then returns at once.
  return startBackgroundLoop({
    name: 'reset mail queue',
    logger: opts.logger,
    intervalMs: opts.pollMs ?? 1000,
    async step() {
      const job = await claimMailJob(opts.app.svc.store.db, LEASE_SECONDS);
      if (!job) return;
      await handle(opts, job);
      return 'more';
    },
  });
}

async function handle({ app, mailer, logger }: MailWorkerOptions, job: MailJob): Promise<void> {
  const db = app.svc.store.db;
  if (!mailer) {
    logger.warn({ request: job.id, kind: job.kind }, 'no SMTP server configured (HEADLESSKEY_SMTP_URL): a mail was dropped');
    return completeMailJob(db, job.id);
  }
  try {
    const mail =
      job.kind === 'reset'
        ? await issueReset(app, job)
        : job.kind === 'verify_email'
          ? await issueVerification(app, job)
          : await noticeMail(app, job);
    if (mail) await mailer.send(mail.to, mail.content);
    await completeMailJob(db, job.id);
  } catch (err) {
    if (job.attempts >= MAX_ATTEMPTS) {
      logger.error({ err, request: job.id, kind: job.kind }, 'giving up on a mail');
      return completeMailJob(db, job.id);
    }
    logger.warn({ err, request: job.id, kind: job.kind, attempt: job.attempts }, 'mail failed; will retry');
    await deferMailJob(db, job.id, Math.min(2 ** job.attempts * 1000, 300_000));
  }
}
