import { randomUUID } from 'node:crypto';
import type { RequestContext, SsoExchanged, SsoRejected } from '@headlesskey/contracts';
import { appendToStream, metaFrom, type NewEvent, type Sql, type WritingService } from '@headlesskey/platform';

/** Each exchange attempt is a stream of its own: busy sites never contend on one stream. */
const attemptStream = () => `sso-exchange-${randomUUID()}`;

/** Records `sso.exchanged` in the exchange's transaction: it commits with the session or not at all. */
export async function appendExchanged(svc: WritingService, tx: Sql, data: SsoExchanged, context: RequestContext) {
  const event: NewEvent<'sso.exchanged', SsoExchanged> = { type: 'sso.exchanged', data };
  await appendToStream(tx, svc.scope, attemptStream(), 0, [event], metaFrom(context, data.user_id));
}

/** Records `sso.rejected` on its own (one statement): the refused exchange wrote nothing else. */
export async function recordRejected(svc: WritingService, data: SsoRejected, context: RequestContext) {
  const event: NewEvent<'sso.rejected', SsoRejected> = { type: 'sso.rejected', data };
  await appendToStream(svc.store.db, svc.scope, attemptStream(), 0, [event], metaFrom(context));
}
