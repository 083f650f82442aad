import type { EventEnvelope, RequestContext } from '@headlesskey/contracts';

/** The request an event came from, as far as its metadata says: for what a consumer does because of it. */
export const contextOf = (event: EventEnvelope): RequestContext => ({
  ip: event.meta.ip ?? '',
  userAgent: event.meta.userAgent ?? '',
  requestId: event.meta.correlationId ?? event.id,
});
