import type { CommandDef, Names } from '@headlesskey/contracts';
import {
  ClosedConnectionError,
  DrainingConnectionError,
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

export interface CommandClient {
  /**
   * Sends a command and waits for its reply. No answer in time (or nobody listening) is
   * `headlesskey_unavailable`; it never throws for a refusal.
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

const UNAVAILABLE = [TimeoutError, NoRespondersError, RequestError, ClosedConnectionError, DrainingConnectionError];

export function createCommandClient(nc: NatsConnection, names: Names, defaultTimeoutMs = DEFAULT_COMMAND_TIMEOUT_MS): CommandClient {
  return {
    send(def, payload, timeoutMs = defaultTimeoutMs, options = {}) {
      const subject = names.command(def.service, def.name);
      return inSpan(`send ${def.service}.${def.name}`, SpanKind.CLIENT, context.active(), async () => {
        let bytes: Uint8Array;
        try {
          const headers = injectTrace();
          headers.set(DEADLINE_HEADER, String(Date.now() + timeoutMs));
          if (options.commandKey) headers.set(COMMAND_KEY_HEADER, options.commandKey);
          const msg = await nc.request(subject, encodeJson(payload), { timeout: timeoutMs, headers });
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
