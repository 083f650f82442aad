import type { EventMeta, RequestContext } from '@headlesskey/contracts';
import { currentTraceparent } from '../telemetry/propagation.js';

/** The metadata every event caused by a request carries: who, from where, and its trace. */
export function metaFrom(context: RequestContext, actor?: string | number): EventMeta {
  return {
    traceparent: currentTraceparent(),
    correlationId: context.requestId,
    ip: context.ip,
    userAgent: context.userAgent,
    device: context.device,
    actor: actor === undefined ? undefined : String(actor),
  };
}
