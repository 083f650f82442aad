import type { OutgoingMail } from '../../credential/reset/issue.js';
import type { NoticeMailJob } from '../../credential/reset/jobs.js';
import type { Identity } from '../../identity.js';
import { findById } from '../../user/read-model.js';
import { securityNoticeMail } from './templates.js';

/**
 * The mail of a queued notice, to the account's stored address as it is now. Nothing to send
 * when the account has no email (one an SSO site provisioned without one).
 */
export async function noticeMail(app: Identity, job: NoticeMailJob): Promise<OutgoingMail | undefined> {
  const user = await findById(app.svc.store.db, job.userId);
  if (!user?.user_email) return undefined;
  const content = securityNoticeMail({
    siteName: app.config.siteName,
    displayName: user.display_name,
    login: user.user_login,
    notice: job.kind,
    at: job.requestedAt,
    ip: job.meta.ip,
    userAgent: job.meta.userAgent,
    device: job.meta.device,
  });
  return { to: user.user_email, content };
}
