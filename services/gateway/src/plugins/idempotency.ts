import { createHash } from 'node:crypto';
import { type AnswerStore, type CommandClient, derive, type KeyClaim, keyedHash, recordId, seal, unseal } from '@headlesskey/platform';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { sendError } from './errors.js';

/** The request header (IETF HTTPAPI draft "The Idempotency-Key HTTP Header Field"). */
export const IDEMPOTENCY_HEADER = 'idempotency-key';
/** Set on an answer that is the replay of the key's first one. */
export const REPLAYED_HEADER = 'idempotent-replayed';
/** What a key may be: 1 to 255 visible ASCII characters (a UUID, say). */
const KEY = /^[\x21-\x7e]{1,255}$/;

/** A request that holds its key while it runs. */
interface Claim {
  id: string;
  fingerprint: string;
  /** Seals the answer; derived from the key, so only its holder can read what is stored. */
  secret: Buffer;
  /** Sent with the route's commands, so a service runs each once for this request. */
  commandKey: string;
  /** Its hold on the key; none when the bucket could not be reached as it began: nothing to record when it ends. */
  hold?: KeyClaim;
}

/** A stored answer, byte for byte. */
interface StoredAnswer {
  status: number;
  contentType: string;
  body: string;
}

const claims = new WeakMap<FastifyRequest, Claim>();

/**
 * The guard of a route that takes an `Idempotency-Key`, run once the caller and the body are
 * known. The key is scoped to the caller (its `Authorization` header, hashed) and the route, so
 * one client can never reach another's answers. Its first request runs and its final answer is
 * kept (`finishIdempotent`); a repeat with the same body gets that answer again, byte for byte;
 * with another body, 422; while the first still runs, 409. The key itself is never stored: the
 * record is named by a hash of a secret derived from it, and the answer (a login's token) is
 * sealed with another, so a reader of the bucket learns nothing it could use.
 *
 * Should the bucket be unreachable (its stream electing a leader after a NATS node was lost), the
 * request runs unrecorded: its commands still carry the key, so each service runs them once and a
 * retry gets their first outcome. Only the gateway's extras wait for the bucket: 409 for a repeat
 * still in flight (the service makes it wait instead) and 422 for a key reused with another body.
 */
export function idempotencyGuard(store: AnswerStore, routeKey: string, staleAfterMs: number) {
  return async (request: FastifyRequest, reply: FastifyReply) => {
    const key = request.headers[IDEMPOTENCY_HEADER];
    if (key === undefined) return;
    if (typeof key !== 'string' || !KEY.test(key)) {
      return sendError(reply, {
        code: 'rest_invalid_param',
        details: { params: { 'Idempotency-Key': 'Idempotency-Key must be 1 to 255 visible ASCII characters.' } },
      });
    }
    const claim = claimOf(key, request, routeKey);
    const begun = await store.begin(claim.id, claim.fingerprint, staleAfterMs).catch((err: unknown) => {
      request.log.warn({ err }, 'idempotency bucket unavailable; the services alone keep the key');
      return undefined;
    });
    if (!begun) {
      claims.set(request, claim);
      return;
    }
    if (begun.kind === 'mismatch') return sendError(reply, { code: 'headlesskey_idempotency_key_reused' });
    if (begun.kind === 'in_flight') return sendError(reply, { code: 'headlesskey_idempotency_key_in_flight' });
    if (begun.kind === 'replay') return replay(reply, claim, begun.sealed);
    claims.set(request, { ...claim, hold: begun.claim });
  };
}

function claimOf(key: string, request: FastifyRequest, routeKey: string): Claim {
  const caller = createHash('sha256')
    .update(request.headers.authorization ?? '')
    .digest('hex');
  const secret = derive(key, caller, `idempotency ${routeKey}`);
  const fingerprint = keyedHash(secret, `body ${JSON.stringify(request.body ?? {})}`);
  return { id: recordId(secret, 'answer'), fingerprint, secret, commandKey: keyedHash(secret, `command ${fingerprint}`) };
}

function replay(reply: FastifyReply, claim: Claim, sealed: string): FastifyReply {
  const text = unseal(claim.secret, sealed);
  if (text === undefined) return sendError(reply, { code: 'headlesskey_internal_error', message: 'a stored answer would not open' });
  const answer = JSON.parse(text) as StoredAnswer;
  return reply.code(answer.status).header('content-type', answer.contentType).header(REPLAYED_HEADER, 'true').send(answer.body);
}

/**
 * Records the answer of a request that held its key (an `onSend` hook, so it is the body exactly
 * as sent). Only final answers are kept: a 5xx (the service unreachable, its answer too late) or
 * a 429 (try later) lets the key go, so a retry runs again — and the command's key makes the
 * service answer that retry with what it did the first time, instead of doing it twice.
 *
 * When the bucket cannot be reached (NATS away), the write is tried again in the background for
 * a third of `staleAfterMs`: a claim left behind would answer every retry `409 in flight` until it
 * goes stale, and within that time no other request can have taken the key over.
 */
export function finishIdempotent(store: AnswerStore, staleAfterMs: number) {
  return async (request: FastifyRequest, reply: FastifyReply, payload: unknown): Promise<unknown> => {
    const claim = claims.get(request);
    if (!claim) return payload;
    claims.delete(request);
    const { hold } = claim;
    if (!hold) return payload;
    const final = reply.statusCode < 500 && reply.statusCode !== 429 && typeof payload === 'string';
    const record = final
      ? () => {
          const answer: StoredAnswer = { status: reply.statusCode, contentType: String(reply.getHeader('content-type')), body: payload };
          return store.finish(claim.id, hold, claim.fingerprint, seal(claim.secret, JSON.stringify(answer)));
        }
      : () => store.forget(claim.id, hold);
    try {
      await record();
    } catch (err) {
      request.log.warn({ err }, 'idempotency bucket unavailable; trying again in the background');
      void untilItLands(record, Date.now() + staleAfterMs / 3).catch((last: unknown) => {
        // Unrecorded, the claim goes stale and a later retry runs again, met by the command's key.
        request.log.warn({ err: last }, 'idempotency bucket unavailable; answer not kept');
      });
    }
    return payload;
  };
}

const RETRY_EVERY_MS = 250;

async function untilItLands(work: () => Promise<void>, until: number): Promise<void> {
  for (;;) {
    await new Promise((resolve) => setTimeout(resolve, RETRY_EVERY_MS).unref());
    try {
      return await work();
    } catch (err) {
      if (Date.now() >= until) throw err;
    }
  }
}

/** The route's command client for this request: its commands carry the request's key, if any. */
export function keyedBus(bus: CommandClient, request: FastifyRequest): CommandClient {
  const claim = claims.get(request);
  if (!claim) return bus;
  return { send: (def, payload, timeoutMs, options) => bus.send(def, payload, timeoutMs, { ...options, commandKey: claim.commandKey }) };
}
