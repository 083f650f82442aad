import type { CommandDef, Names } from '@headlesskey/contracts';
import {
  ClosedConnectionError,
  DrainingConnectionError,
  type Msg,
  type NatsConnection,
  NoRespondersError,
  RequestError,
  TimeoutError,
} from '@nats-io/transport-node';
import { context } from '@opentelemetry/api';
import type { Static } from '@sinclair/typebox';
import { COMMAND_KEY_HEADER } from '../idempotency/command-replies.js';
import { injectTrace, inSpan, SpanKind } from '../telemetry/propagation.js';
import { checker, decodeJson, encodeJson, type Reply } from './codec.js';
import { createHedgePolicy, type HedgePolicy } from './hedge.js';
import { isNoResponders } from './liveness.js';
import { type Reconnects, watchReconnects } from './reconnects.js';
import { REPLICA_HEADER, type RecentReplicas, recentReplicas } from './replicas.js';

export interface CommandClient {
  /**
   * Sends a command and waits for its reply. No answer in time (or nobody listening) is
   * `headlesskey_unavailable`; it never throws for a refusal. A read-only command, or one sent
   * with a `commandKey` (its service runs it once), is sent again within the same deadline when
   * its answer is late (see hedge.ts), to a replica that answers (see replicas.ts); any other is
   * sent once.
   */
  send<D extends CommandDef>(
    def: D,
    payload: Static<D['request']>,
    timeoutMs?: number,
    options?: SendOptions,
  ): Promise<Reply<Static<D['reply']>>>;
}

export interface SendOptions {
  /**
   * Asks the service to run the command once for this key (derived from an HTTP request's
   * `Idempotency-Key`): a repeat gets the first reply, even when the first was answered too late.
   */
  commandKey?: string;
}

export const DEFAULT_COMMAND_TIMEOUT_MS = 5000;

/** When the sender stops waiting for the reply, in epoch milliseconds. */
export const DEADLINE_HEADER = 'hk-deadline';

/** Which send of the command this is: 1, or more for the same command sent again (see hedge.ts). */
export const ATTEMPT_HEADER = 'hk-attempt';

const UNAVAILABLE = [TimeoutError, NoRespondersError, RequestError, ClosedConnectionError, DrainingConnectionError];

export function createCommandClient(
  nc: NatsConnection,
  names: Names,
  defaultTimeoutMs = DEFAULT_COMMAND_TIMEOUT_MS,
  hedge: HedgePolicy = createHedgePolicy(),
  replicas: RecentReplicas = recentReplicas(),
): CommandClient {
  const reconnects = watchReconnects(nc);
  return {
    send(def, payload, timeoutMs = defaultTimeoutMs, options = {}) {
      const subject = names.command(def.service, def.name);
      return inSpan(`send ${def.service}.${def.name}`, SpanKind.CLIENT, context.active(), async () => {
        let bytes: Uint8Array;
        try {
          const headers = injectTrace();
          const deadline = Date.now() + timeoutMs;
          headers.set(DEADLINE_HEADER, String(deadline));
          if (options.commandKey) headers.set(COMMAND_KEY_HEADER, options.commandKey);
          const data = encodeJson(payload);
          const request: Attempt = async (ms, attempt, replica) => {
            headers.set(ATTEMPT_HEADER, String(attempt));
            const to = replica ? names.replicaCommand(def.service, replica, def.name) : subject;
            try {
              const msg = await nc.request(to, data, { timeout: ms, headers });
              const by = msg.headers?.get(REPLICA_HEADER);
              if (by) replicas.answered(def.service, by);
              return msg;
            } catch (err) {
              if (replica && isNoResponders(err)) replicas.gone(def.service, replica);
              throw err;
            }
          };
          const safeAgain = def.readOnly || options.commandKey !== undefined;
          const again = (tried: ReadonlySet<string>) => replicas.next(def.service, tried);
          const msg = safeAgain ? await hedged(request, again, subject, deadline, hedge, reconnects) : await request(timeoutMs, 1);
          bytes = msg.data;
        } catch (err) {
          if (UNAVAILABLE.some((kind) => err instanceof kind)) {
            return { ok: false, error: { code: 'headlesskey_unavailable' } } as const;
          }
          throw err;
        }
        const reply = decodeJson(bytes) as Reply<unknown>;
        if (reply.ok && !checker(def.reply).Check(reply.data)) {
          return {
            ok: false,
            error: { code: 'headlesskey_internal_error', message: `reply of ${def.service}.${def.name} broke its schema` },
          } as const;
        }
        return reply as Reply<Static<typeof def.reply>>;
      });
    },
  };
}

/** Sends one attempt of a command: to the queue group, or to one `replica` of the service. */
type Attempt = (timeoutMs: number, attempt: number, replica?: string) => Promise<Msg>;

/**
 * Sends the request, and again each time the policy finds its answer late, until the deadline:
 * the first answer wins. A repeat goes to the replica `next` names among those not yet tried, and
 * when the one it named has gone, at once to the next; when the connection is made again, one
 * goes at once too (see reconnects.ts). Fails when every attempt sent has failed (nobody listening
 * fails at once, as a single send would), or at the deadline.
 */
function hedged(
  request: Attempt,
  next: (tried: ReadonlySet<string>) => string | undefined,
  subject: string,
  deadline: number,
  policy: HedgePolicy,
  reconnects: Reconnects,
): Promise<Msg> {
  policy.sent();
  return new Promise((resolve, reject) => {
    // Attempts not yet answered nor failed; one sent before a reconnect is no longer counted on.
    let live = new Set<number>();
    let settled = false;
    let timer: NodeJS.Timeout | undefined;
    let attempts = 0;
    let wait = policy.delayMs(subject, deadline - Date.now());
    const tried = new Set<string>();
    const off = reconnects.on(() => {
      if (settled || Date.now() >= deadline) return;
      live = new Set();
      launch(wait);
    });
    const settle = () => {
      settled = true;
      clearTimeout(timer);
      off();
    };
    const launch = (waitMs: number) => {
      clearTimeout(timer);
      wait = waitMs;
      const sentAt = Date.now();
      const replica = attempts > 0 ? next(tried) : undefined;
      if (replica) tried.add(replica);
      const attempt = ++attempts;
      live.add(attempt);
      request(Math.max(1, deadline - sentAt), attempt, replica).then(
        (msg) => {
          if (settled) return;
          settle();
          policy.observe(subject, Date.now() - sentAt);
          resolve(msg);
        },
        (err: unknown) => {
          live.delete(attempt);
          if (settled) return;
          // The replica it went to has gone: its turn passes to the next at once, at no cost.
          if (replica && isNoResponders(err) && Date.now() < deadline) return launch(waitMs);
          if (live.size > 0) return;
          settle();
          reject(err);
        },
      );
      if (sentAt + waitMs >= deadline) return;
      timer = setTimeout(() => {
        if (!settled && policy.spend()) launch(waitMs * 2);
      }, waitMs);
    };
    launch(wait);
  });
}
