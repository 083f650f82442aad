import { type CommandDef, tokensCommands, type ValidateReply } from '@headlesskey/contracts';
import type { CommandClient, Reply } from '@headlesskey/platform';
import { context, ROOT_CONTEXT } from '@opentelemetry/api';
import DataLoader from 'dataloader';

/**
 * Batches in flight at once. A new batch waits while this many are out, gathering the validates
 * that arrive meanwhile: the busier the gateway, the larger the batches — one message, one
 * session read for many requests — while a quiet gateway sends each validate at once.
 */
const IN_FLIGHT = 2;

/**
 * The gateway's command client with every `validate` coalesced into `validateMany`. Each token
 * is still checked against live session state after its request arrived, so a revocation
 * answered before then is always seen: batching changes the cost, never the answer.
 */
export function coalesceValidates(bus: CommandClient): CommandClient {
  let inFlight = 0;
  const waiting: (() => void)[] = [];
  const loader = new DataLoader<string, Reply<ValidateReply>>(
    async (tokens) => {
      inFlight += 1;
      try {
        return await validateMany(bus, tokens);
      } finally {
        inFlight -= 1;
        waiting.shift()?.();
      }
    },
    {
      cache: false,
      maxBatchSize: tokensCommands.VALIDATE_MANY_MAX,
      batchScheduleFn: (dispatch) => (inFlight < IN_FLIGHT ? setImmediate(dispatch) : waiting.push(dispatch)),
    },
  );
  return {
    send(def, payload, timeoutMs) {
      if ((def as CommandDef) !== tokensCommands.validate) return bus.send(def, payload, timeoutMs);
      const { token } = payload as { token: string };
      return loader.load(token) as ReturnType<CommandClient['send']>;
    },
  };
}

async function validateMany(bus: CommandClient, tokens: readonly string[]): Promise<Reply<ValidateReply>[]> {
  // A batch of one stays in its request's trace; a batch of many belongs to no single request.
  const send = () => bus.send(tokensCommands.validateMany, { tokens: [...tokens] });
  const reply = tokens.length === 1 ? await send() : await context.with(ROOT_CONTEXT, send);
  if (!reply.ok) return tokens.map(() => reply);
  if (reply.data.results.length !== tokens.length) {
    const broken = {
      ok: false,
      error: { code: 'headlesskey_internal_error', message: 'validateMany answered the wrong number of results' },
    };
    return tokens.map(() => broken as Reply<ValidateReply>);
  }
  return reply.data.results as Reply<ValidateReply>[];
}
