import { randomUUID } from 'node:crypto';
import type { Names } from '@headlesskey/contracts';
import { type NatsConnection, NoRespondersError, RequestError } from '@nats-io/transport-node';

/**
 * Whether a process that took on some work still runs. A process answers on a subject of its own
 * (`Names.process`) for as long as it is connected; NATS answers "no responders" at once when the
 * process has gone: killed (its socket closed), or cut off long enough for the server to drop it.
 */
export interface Liveness {
  /** This process, as other processes ask about it. */
  readonly self: string;
  /** True only when NATS says nobody answers for `holder`; a slow or unsure answer is false. */
  gone(holder: string): Promise<boolean>;
}

const ASK_TIMEOUT_MS = 250;

/**
 * Answers for this process from now on, for as long as its connection lives (draining it at
 * shutdown ends the answers after the work in flight). Call it before taking any work.
 */
export function processLiveness(nc: NatsConnection, names: Names, service: string): Liveness {
  const self = `${service}-${randomUUID()}`;
  nc.subscribe(names.process(self), {
    callback: (_err, msg) => {
      msg.respond();
    },
  });
  return {
    self,
    async gone(holder) {
      if (holder === self) return false;
      try {
        await nc.request(names.process(holder), undefined, { timeout: ASK_TIMEOUT_MS });
        return false;
      } catch (err) {
        return isNoResponders(err);
      }
    },
  };
}

/** NATS answered at once that nobody listens on the subject. */
export function isNoResponders(err: unknown): boolean {
  return err instanceof NoRespondersError || (err instanceof RequestError && err.isNoResponders());
}
