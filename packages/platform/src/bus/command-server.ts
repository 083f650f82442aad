import { randomBytes } from 'node:crypto';
import type { CommandDef, CommandService, Names } from '@headlesskey/contracts';
import { headers, type Msg, type NatsConnection, type Subscription } from '@nats-io/transport-node';
import type { Static, TSchema } from '@sinclair/typebox';
import type { Logger } from 'pino';
import { COMMAND_KEY_HEADER, type CommandReplies } from '../idempotency/command-replies.js';
import { isDatabaseOutage } from '../store/outage.js';
import { extractTrace, inSpan, SpanKind } from '../telemetry/propagation.js';
import { checker, decodeJson, encodeJson, firstViolation, type Reply } from './codec.js';
import { DEADLINE_HEADER } from './command-client.js';
import { DomainError } from './domain-error.js';
import { REPLICA_HEADER } from './replicas.js';

/** What a handler knows of the request beyond its payload. */
export interface CommandMeta {
  /**
   * When the sender stops waiting (epoch ms), from its `hk-deadline` header: work that cannot end
   * before it helps no one, and a busy service may refuse it at once instead.
   */
  deadline: number | undefined;
  /**
   * The key the command was sent with to run once (`hk-command-key`), if any: handed on to the
   * commands it sends in turn (`SendOptions`), so a retry repeats none of them either.
   */
  commandKey?: string;
  /**
   * Runs one step of the command that commits on its own (an account created before its session
   * is asked for), once per key: when a later step fails (a 503) and the command is sent again
   * with its key, the step answers what it did the first time instead of doing it again. Without
   * a key it just runs. Its result must be JSON.
   */
  step<T>(name: string, work: () => Promise<T>): Promise<T>;
}

export type CommandHandler<D extends CommandDef> = (payload: Static<D['request']>, meta: CommandMeta) => Promise<Static<D['reply']>>;

interface Route {
  def: CommandDef;
  handle: (payload: unknown, meta: CommandMeta) => Promise<unknown>;
}

export interface CommandServer {
  /** Registers the handler of one command; the payload is checked against its schema first. */
  on<D extends CommandDef>(def: D, handle: CommandHandler<D>): CommandServer;
  /**
   * Subscribes with the service's queue group, so replicas share the load, and on this replica's
   * own subjects, where a command is sent again to a replica known to answer (see replicas.ts).
   */
  listen(): void;
  /** Stops taking commands and waits for the ones in flight. */
  close(): Promise<void>;
}

/**
 * `replies`: where a writing service records the replies of commands sent with a key (see
 * `CommandReplies`); without it, every command runs each time it is sent.
 */
export function createCommandServer(
  nc: NatsConnection,
  names: Names,
  service: CommandService,
  logger: Logger,
  replies?: CommandReplies,
): CommandServer {
  const routes = new Map<string, Route>();
  const inFlight = new Set<Promise<void>>();
  const subscriptions: Subscription[] = [];
  const replica = randomBytes(6).toString('hex');
  const answeredBy = headers();
  answeredBy.set(REPLICA_HEADER, replica);

  const respond = async (msg: Msg): Promise<void> => {
    const name = msg.subject.slice(msg.subject.lastIndexOf('.') + 1);
    const route = routes.get(name);
    const parent = extractTrace(msg.headers);
    const reply = await inSpan(`${service}.${name}`, SpanKind.SERVER, parent, () => dispatch(route, msg, logger, replies));
    if (msg.reply) msg.respond(encodeJson(reply), { headers: answeredBy });
  };
  const take = (err: Error | null, msg: Msg) => {
    if (err) return logger.error({ err }, 'command subscription failed');
    const done = respond(msg).finally(() => inFlight.delete(done));
    inFlight.add(done);
  };

  const server: CommandServer = {
    on(def, handle) {
      if (def.service !== service) throw new Error(`${def.service}.${def.name} is not a command of ${service}`);
      routes.set(def.name, { def, handle: handle as Route['handle'] });
      return server;
    },
    listen() {
      subscriptions.push(
        nc.subscribe(names.commands(service), { queue: service, callback: take }),
        nc.subscribe(names.replicaCommands(service, replica), { callback: take }),
      );
    },
    async close() {
      await Promise.all(subscriptions.map((s) => s.drain()));
      await Promise.allSettled([...inFlight]);
    },
  };
  return server;
}

async function dispatch(route: Route | undefined, msg: Msg, logger: Logger, replies?: CommandReplies): Promise<Reply<unknown>> {
  if (!route) return { ok: false, error: { code: 'headlesskey_not_found', message: 'Unknown command.' } };
  let payload: unknown;
  try {
    payload = decodeJson(msg.data);
  } catch {
    return { ok: false, error: { code: 'headlesskey_invalid_json' } };
  }
  if (!checker(route.def.request as TSchema).Check(payload)) {
    return { ok: false, error: { code: 'rest_invalid_param', details: { params: firstViolation(route.def.request, payload) } } };
  }
  const key = msg.headers?.get(COMMAND_KEY_HEADER) || undefined;
  const name = `${route.def.service}.${route.def.name}`;
  const deadline = deadlineOf(msg);
  const meta: CommandMeta = { deadline, commandKey: key, step: (_step, work) => work() };
  const run = () => invoke(route, payload, meta, logger);
  if (!key || !replies) return run();
  meta.step = async (step, work) => {
    const reply = await replies.once(key, { name: `${name}/${step}`, payload }, deadline, async () => ({ ok: true, data: await work() }));
    if (!reply.ok) throw new DomainError(reply.error.code, reply.error.message, reply.error.details);
    return reply.data as Awaited<ReturnType<typeof work>>;
  };
  try {
    return await replies.once(key, { name, payload }, deadline, run);
  } catch (err) {
    return failureOf(err, route, logger);
  }
}

async function invoke(route: Route, payload: unknown, meta: CommandMeta, logger: Logger): Promise<Reply<unknown>> {
  try {
    return { ok: true, data: await route.handle(payload, meta) };
  } catch (err) {
    return failureOf(err, route, logger);
  }
}

function failureOf(err: unknown, route: Route, logger: Logger): Reply<unknown> {
  if (err instanceof DomainError) return { ok: false, error: err.toBody() };
  // The database gone for a moment (a restart, a failover) is no fault of the request: the
  // caller may try again, and the pool reconnects once the server is back.
  if (isDatabaseOutage(err)) {
    logger.warn({ err, command: `${route.def.service}.${route.def.name}` }, 'command failed: database unavailable');
    return { ok: false, error: { code: 'headlesskey_unavailable' } };
  }
  logger.error({ err, command: `${route.def.service}.${route.def.name}` }, 'command failed');
  return { ok: false, error: { code: 'headlesskey_internal_error' } };
}

function deadlineOf(msg: Msg): number | undefined {
  const value = Number(msg.headers?.get(DEADLINE_HEADER));
  return Number.isFinite(value) && value > 0 ? value : undefined;
}
