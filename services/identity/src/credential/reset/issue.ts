import type { ResetDelivery, UserView } from '@headlesskey/contracts';
import { DomainError, decideInTransaction, retryOnConflict } from '@headlesskey/platform';
import type { IdentityConfig } from '../../config.js';
import type { Identity } from '../../identity.js';
import { resetUrl } from '../../mail/reset-url.js';
import { type MailContent, resetCodeMail, resetLinkMail } from '../../mail/templates.js';
import { openGate } from '../../sign-in/lockout/gate.js';
import { mailThrottles } from '../../sign-in/lockout/throttles.js';
import { findByIdentifier } from '../../user/read-model.js';
import { credentialStream } from '../credential.js';
import { credentialDecider } from '../decider.js';
import type { ResetMailJob } from './jobs.js';
import { newResetSecret, RESET_TTL_MS, resetDigest } from './secrets.js';
import { saveReset } from './store.js';

export interface OutgoingMail {
  /** Always the stored address, never what was typed. */
  to: string;
  content: MailContent;
}

/**
 * Turns a queued request into a mail: finds the account, records `password.reset.requested`
 * (once per request, however often its mail is retried), makes a fresh secret and stores only
 * its digest, replacing — and so voiding — the user's previous one. Nothing to send for an unknown
 * login, an account without an email, a request overtaken by a newer one, one past its lifetime,
 * or an account over its mail limits (per asking address, and in all).
 */
export async function issueReset(app: Identity, job: ResetMailJob, now = Date.now()): Promise<OutgoingMail | undefined> {
  const { svc } = app;
  const expiresAt = job.requestedAt + RESET_TTL_MS[job.delivery];
  if (now >= expiresAt) return undefined;
  const found = await findByIdentifier(svc.store.db, job.loginKey);
  // An account provisioned for an SSO site whose tokens carry no email has nowhere to be mailed.
  if (!found?.user.user_email) return undefined;
  const { user } = found;
  if (job.attempts === 1 && !(await withinMailLimit(app, user.ID, job.meta.ip ?? ''))) return undefined;
  const secret = newResetSecret(job.delivery);
  const issued = await retryOnConflict(svc.store, async (tx) => {
    const { state } = await decideInTransaction(tx, {
      scope: svc.scope,
      streamId: credentialStream(user.ID),
      decider: credentialDecider,
      command: {
        type: 'RequestReset',
        userId: user.ID,
        requestId: job.id,
        delivery: job.delivery,
        requestedAt: job.requestedAt,
        expiresAt,
      },
      meta: job.meta,
    });
    if (state.status !== 'pending' || state.pending.requestId !== job.id) return false;
    const digest = resetDigest(app.pepper, { delivery: job.delivery, userId: user.ID, requestId: job.id }, secret);
    await saveReset(tx, { userId: user.ID, requestId: job.id, delivery: job.delivery, digest, expiresAt });
    return true;
  });
  if (!issued) return undefined;
  return { to: user.user_email, content: composeMail(app.config, user, job.delivery, secret) };
}

/** Whether the account may be mailed once more (per asking address, and in all); counts it if so. */
export async function withinMailLimit(app: Identity, userId: number, ip: string): Promise<boolean> {
  try {
    await openGate(app.svc.store, mailThrottles(userId, ip));
    return true;
  } catch (err) {
    if (err instanceof DomainError && err.code === 'headlesskey_rate_limited') return false;
    throw err;
  }
}

function composeMail(config: IdentityConfig, user: UserView, delivery: ResetDelivery, secret: string): MailContent {
  const common = { siteName: config.siteName, displayName: user.display_name, minutes: RESET_TTL_MS[delivery] / 60_000 };
  if (delivery === 'otp') return resetCodeMail({ ...common, code: secret });
  return resetLinkMail({ ...common, url: resetUrl(config.mail.resetUrl, user.user_login, secret) });
}
