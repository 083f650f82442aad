import { type CommandDef, tokensCommands } from '@headlesskey/contracts';
import type { CommandClient, Reply } from '@headlesskey/platform';
import { context, ROOT_CONTEXT } from '@opentelemetry/api';
import type { Static } from '@sinclair/typebox';
import DataLoader from 'dataloader';

/**
 * Batches of one command in flight at once. A new batch waits while this many are out,
 * gathering the requests that arrive meanwhile: the busier the gateway, the larger the batches
 * — one message, one read (one transaction for refreshes) for many requests — while a quiet
 * gateway sends each request at once.
 */
const IN_FLIGHT = 2;

/** A single command answered, request by request, by a batch command. */
interface Coalesced<D extends CommandDef, M extends CommandDef> {
  one: D;
  many: M;
  maxBatch: number;
  toMany(payloads: readonly Static<D['request']>[]): Static<M['request']>;
  results(reply: Static<M['reply']>): readonly Reply<Static<D['reply']>>[];
}

const validates: Coalesced<typeof tokensCommands.validate, typeof tokensCommands.validateMany> = {
  one: tokensCommands.validate,
  many: tokensCommands.validateMany,
  maxBatch: tokensCommands.VALIDATE_MANY_MAX,
  toMany: (payloads) => ({ tokens: payloads.map((p) => p.token) }),
  results: (reply) => reply.results,
};

const refreshes: Coalesced<typeof tokensCommands.refresh, typeof tokensCommands.refreshMany> = {
  one: tokensCommands.refresh,
  many: tokensCommands.refreshMany,
  maxBatch: tokensCommands.REFRESH_MANY_MAX,
  toMany: (payloads) => ({ items: [...payloads] }),
  results: (reply) => reply.results,
};

/** A request waiting for its batch, and when its caller stops waiting (epoch ms). */
interface Waiting {
  payload: unknown;
  deadline: number;
}

const UNAVAILABLE = { ok: false, error: { code: 'headlesskey_unavailable' } } as const;

/**
 * The gateway's command client with every `validate` coalesced into `validateMany` and every
 * `refresh` into `refreshMany`. Each request is still decided on live session state after it
 * arrived — a revocation answered before then is always seen, a refresh is decided on its own
 * session — so batching changes the cost, never the answer. A request waits for its answer no
 * longer than the command timeout from when it arrived, however long its batch queued for a
 * slot: a batch is sent with what is left of its earliest request's time.
 */
export function coalesceCommands(bus: CommandClient, timeoutMs: number): CommandClient {
  const loaders = new Map<CommandDef, DataLoader<Waiting, Reply<unknown>>>([
    [validates.one, batcher(bus, validates)],
    [refreshes.one, batcher(bus, refreshes)],
  ]);
  return {
    send(def, payload, ms, options) {
      const loader = loaders.get(def);
      // A command to run once for its key goes alone: its service records its reply by that key.
      if (!loader || options?.commandKey) return bus.send(def, payload, ms, options);
      return loader.load({ payload, deadline: Date.now() + (ms ?? timeoutMs) }) as ReturnType<CommandClient['send']>;
    },
  };
}

function batcher<D extends CommandDef, M extends CommandDef>(bus: CommandClient, c: Coalesced<D, M>) {
  let inFlight = 0;
  const waiting: (() => void)[] = [];
  return new DataLoader<Waiting, Reply<unknown>>(
    async (requests) => {
      inFlight += 1;
      try {
        return await sendMany(bus, c, requests);
      } finally {
        inFlight -= 1;
        waiting.shift()?.();
      }
    },
    {
      cache: false,
      maxBatchSize: c.maxBatch,
      batchScheduleFn: (dispatch) => (inFlight < IN_FLIGHT ? setImmediate(dispatch) : waiting.push(dispatch)),
    },
  );
}

async function sendMany<D extends CommandDef, M extends CommandDef>(
  bus: CommandClient,
  c: Coalesced<D, M>,
  requests: readonly Waiting[],
): Promise<Reply<unknown>[]> {
  // A batch that queued behind slow ones past its first caller's deadline is not sent at all.
  const left = Math.min(...requests.map((r) => r.deadline)) - Date.now();
  if (left <= 0) return requests.map(() => UNAVAILABLE);
  const payloads = requests.map((r) => r.payload as Static<D['request']>);
  // A batch of one stays in its request's trace; a batch of many belongs to no single request.
  const send = () => bus.send(c.many, c.toMany(payloads), left);
  const reply = payloads.length === 1 ? await send() : await context.with(ROOT_CONTEXT, send);
  if (!reply.ok) return payloads.map(() => reply);
  const results = c.results(reply.data);
  if (results.length !== payloads.length) {
    const broken = {
      ok: false,
      error: { code: 'headlesskey_internal_error', message: `${c.many.name} answered the wrong number of results` },
    } as const;
    return payloads.map(() => broken);
  }
  return [...results];
}
