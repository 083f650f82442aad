import { randomUUID } from 'node:crypto';
import type { identityCommands } from '@headlesskey/contracts';
import { metaFrom } from '@headlesskey/platform';
import type { Static } from '@sinclair/typebox';
import type { Identity } from '../../identity.js';
import { identifierKey } from '../../user/canonical.js';
import { enqueueMailJob } from './jobs.js';

type ForgotCommand = Static<typeof identityCommands.forgotPassword.request>;

const SENT = 'Password reset email sent.';

/**
 * `POST /forgot-password`: queues the request and answers. It never looks the login up and never
 * waits on SMTP, so neither its answer nor its timing can tell whether the login exists; the mail
 * worker finds the account and mails its stored address, or drops the request.
 */
export function forgotPasswordHandler(app: Identity, queued: () => void) {
  return async (cmd: ForgotCommand): Promise<{ message: string }> => {
    await enqueueMailJob(app.svc.store.db, {
      id: randomUUID(),
      loginKey: identifierKey(cmd.login),
      delivery: cmd.delivery,
      meta: metaFrom(cmd.context),
    });
    // Wakes this replica's worker without waiting for it; any replica polls the queue anyway.
    queued();
    return { message: SENT };
  };
}
