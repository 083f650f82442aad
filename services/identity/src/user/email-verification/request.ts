import { randomUUID } from 'node:crypto';
import type { EventMeta, identityCommands, ResetDelivery } from '@headlesskey/contracts';
import { metaFrom, type Sql } from '@headlesskey/platform';
import type { Static } from '@sinclair/typebox';
import { enqueueMailJob } from '../../credential/reset/jobs.js';
import type { Identity } from '../../identity.js';
import { identifierKey } from '../canonical.js';

type ResendCommand = Static<typeof identityCommands.resendVerification.request>;

const SENT = 'If the address needs confirming, a message is on its way.';

/** Whether the `email_verification` setting asks for verification mails at all. */
export const verifiesEmail = (app: Identity) => app.svc.settings.current().email_verification !== 'off';

/**
 * Queues a verification mail for the account `login` names, in the caller's transaction (a
 * registration's, an email change's). The mail worker finds the account and mails its address.
 */
export function queueVerification(tx: Sql, login: string, meta: EventMeta, delivery: ResetDelivery = 'link'): Promise<void> {
  return enqueueMailJob(tx, { id: randomUUID(), kind: 'verify_email', loginKey: identifierKey(login), delivery, meta });
}

/**
 * `POST /verify-email/resend`: as `/forgot-password`, queued and answered at once, the same
 * whether or not the login exists or is verified already; the worker decides, under the same
 * per-account and per-address mail limits as reset mails.
 */
export function resendVerificationHandler(app: Identity, queued: () => void) {
  return async (cmd: ResendCommand): Promise<{ message: string }> => {
    if (verifiesEmail(app)) {
      await queueVerification(app.svc.store.db, cmd.login, metaFrom(cmd.context), cmd.delivery);
      queued();
    }
    return { message: SENT };
  };
}
