import type { KV } from '@nats-io/kv';
import type { NatsConnection } from '@nats-io/transport-node';
import { decodeJson, encodeJson } from '../bus/codec.js';
import { type BucketPlace, IN_REQUEST_BUCKET_WAIT_MS, isCasConflict, openInstanceBucket } from '../bus/kv.js';
import type { Liveness } from '../bus/liveness.js';

/** How long an answer is replayed for its key: past it, the key is forgotten and may run again. */
export const ANSWER_TTL_MS = 24 * 3600_000;

/** What the bucket holds for a key: the request's fingerprint and, once answered, the sealed answer. */
interface Entry {
  fingerprint: string;
  /** When the request that holds the key began (epoch ms); a stale one is taken over. */
  startedAt: number;
  /** The gateway process running it (`Liveness.self`): once NATS says it has gone, it is taken over. */
  holder?: string;
  sealed?: string;
}

/** What a request finds under its key. */
export type Begun = { kind: 'first' } | { kind: 'replay'; sealed: string } | { kind: 'in_flight' } | { kind: 'mismatch' };

/** Answers of requests sent with an `Idempotency-Key`, shared by every gateway of the instance. */
export interface AnswerStore {
  /**
   * Takes `id` for this request, or says what holds it: an answer to replay, a request still in
   * flight, or a request with another fingerprint. A claim without an answer whose gateway has
   * gone (killed in it: NATS has no responders for it) is taken over at once, and one older than
   * `staleAfterMs` in any case (its gateway may be cut off, not gone). The retry that takes it over
   * runs the request again, and its commands' key makes each service answer what it did the first
   * time.
   */
  begin(id: string, fingerprint: string, staleAfterMs: number): Promise<Begun>;
  /** Records the request's final answer (sealed by the caller). */
  finish(id: string, fingerprint: string, sealed: string): Promise<void>;
  /** Lets the key go without an answer (the request failed for an outage): a retry runs again. */
  forget(id: string): Promise<void>;
}

const MAX_TRIES = 3;

/**
 * The instance's idempotency KV bucket: one key per (Idempotency-Key, caller, route), named by a
 * hash, kept a day after its last write. Claims are compare-and-set writes, so two gateways never
 * both run the same key.
 */
export async function openAnswerStore(
  nc: NatsConnection,
  place: BucketPlace,
  liveness: Liveness,
  now: () => number = Date.now,
): Promise<AnswerStore> {
  const kv = await openInstanceBucket(nc, place, 'idempotencyBucket', { history: 1, ttl: ANSWER_TTL_MS }, IN_REQUEST_BUCKET_WAIT_MS);
  return {
    async begin(id, fingerprint, staleAfterMs) {
      const claim = encodeJson({ fingerprint, startedAt: now(), holder: liveness.self } satisfies Entry);
      const abandoned = async (held: Entry) =>
        held.startedAt <= now() - staleAfterMs || (held.holder !== undefined && (await liveness.gone(held.holder)));
      for (let i = 0; i < MAX_TRIES; i++) {
        const found = await tryBegin(kv, id, claim, fingerprint, abandoned);
        if (found) return found;
      }
      return { kind: 'in_flight' };
    },
    async finish(id, fingerprint, sealed) {
      await kv.put(id, encodeJson({ fingerprint, startedAt: now(), sealed } satisfies Entry));
    },
    async forget(id) {
      await kv.delete(id);
    },
  };
}

/** One conditional write, or what holds the key; undefined when another request wrote in between. */
async function tryBegin(
  kv: KV,
  id: string,
  claim: Uint8Array,
  fingerprint: string,
  abandoned: (held: Entry) => Promise<boolean>,
): Promise<Begun | undefined> {
  const entry = await kv.get(id);
  const held = entry?.operation === 'PUT' ? (decodeJson(entry.value) as Entry) : undefined;
  if (held && held.fingerprint !== fingerprint) return { kind: 'mismatch' };
  if (held?.sealed) return { kind: 'replay', sealed: held.sealed };
  if (held && !(await abandoned(held))) return { kind: 'in_flight' };
  try {
    if (entry) await kv.update(id, claim, entry.revision);
    else await kv.create(id, claim);
    return { kind: 'first' };
  } catch (err) {
    if (isCasConflict(err)) return undefined;
    throw err;
  }
}
