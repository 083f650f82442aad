import type { ResetDelivery, UserView } from '@headlesskey/contracts';
import type { Sql } from '@headlesskey/platform';
import type { OutgoingMail } from '../../credential/reset/issue.js';
import { withinMailLimit } from '../../credential/reset/issue.js';
import type { VerifyMailJob } from '../../credential/reset/jobs.js';
import { newResetSecret, resetDigest } from '../../credential/reset/secrets.js';
import type { Identity } from '../../identity.js';
import { resetUrl } from '../../mail/reset-url.js';
import { verifyCodeMail, verifyLinkMail } from '../../mail/templates.js';

/** How long a verification secret lasts: a link a day, a code half an hour. */
export const VERIFY_TTL_MS: Readonly<Record<ResetDelivery, number>> = { link: 86_400_000, otp: 1_800_000 };

/**
 * Turns a queued verification into a mail: finds the account, makes a fresh secret and stores its
 * digest bound to the address it goes to, replacing (and so voiding) the one before. Nothing to send
 * for an unknown login, an account without an address or already verified, one past its limits,
 * or when verification was turned off meanwhile.
 */
export async function issueVerification(app: Identity, job: VerifyMailJob, now = Date.now()): Promise<OutgoingMail | undefined> {
  const { svc } = app;
  if (svc.settings.current().email_verification === 'off') return undefined;
  const expiresAt = job.requestedAt + VERIFY_TTL_MS[job.delivery];
  if (now >= expiresAt) return undefined;
  const user = await unverifiedUser(svc.store.db, job.loginKey);
  if (!user?.user_email) return undefined;
  if (job.attempts === 1 && !(await withinMailLimit(app, user.ID, job.meta.ip ?? ''))) return undefined;
  const secret = newResetSecret(job.delivery);
  const digest = resetDigest(app.pepper, { delivery: job.delivery, userId: user.ID, requestId: job.id }, secret, 'verify');
  await svc.store.db.execute(
    `insert into email_verifications (user_id, request_id, delivery, email, digest, expires_at) values (?, ?, ?, ?, ?, to_timestamp(? / 1000.0))
     on conflict (user_id) do update set request_id = excluded.request_id, delivery = excluded.delivery, email = excluded.email,
       digest = excluded.digest, expires_at = excluded.expires_at`,
    [user.ID, job.id, job.delivery, user.user_email, digest, expiresAt],
  );
  const common = { siteName: app.config.siteName, displayName: user.display_name, minutes: VERIFY_TTL_MS[job.delivery] / 60_000 };
  const content =
    job.delivery === 'otp'
      ? verifyCodeMail({ ...common, code: secret })
      : verifyLinkMail({ ...common, url: resetUrl(app.config.mail.verifyUrl, user.user_login, secret) });
  return { to: user.user_email, content };
}

async function unverifiedUser(db: Sql, loginKey: string): Promise<UserView | undefined> {
  const [row] = await db.execute<{ id: number; user_login: string; user_email: string; display_name: string }[]>(
    `select u.id, u.user_login, u.user_email, u.display_name from user_identifiers i join users u on u.id = i.user_id
     where i.key = ? and not u.email_verified`,
    [loginKey],
  );
  return row
    ? { ID: row.id, user_login: row.user_login, user_email: row.user_email, display_name: row.display_name, roles: [] }
    : undefined;
}
