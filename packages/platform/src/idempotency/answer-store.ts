import { randomUUID } from 'node:crypto';
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
  /** Names the claim among its holder's, which knows the ones its requests still run. */
  claim?: string;
  sealed?: string;
}

/** A request's hold on its key: handed back when the request ends. */
export interface KeyClaim {
  readonly name: string;
  /** The bucket's revision of the claim. */
  readonly revision: number;
}

/** What a request finds under its key. */
export type Begun = { kind: 'first'; claim: KeyClaim } | { kind: 'replay'; sealed: string } | { kind: 'in_flight' } | { kind: 'mismatch' };

/** Answers of requests sent with an `Idempotency-Key`, shared by every gateway of the instance. */
export interface AnswerStore {
  /**
   * Takes `id` for this request, or says what holds it: an answer to replay, a request still in
   * flight, or a request with another fingerprint. A claim without an answer is taken over at once
   * when no request runs it any more: its gateway has gone (killed in it: NATS has no responders
   * for it), or it is this gateway's own and its request has ended (the bucket was away when the
   * claim should have been let go). One older than `staleAfterMs` is taken over in any case (its
   * gateway may be cut off, not gone). The retry that takes it over runs the request again, and its
   * commands' key makes each service answer what it did the first time.
   */
  begin(id: string, fingerprint: string, staleAfterMs: number): Promise<Begun>;
  /** Records the request's final answer (sealed by the caller); `claim` is its `first`. */
  finish(id: string, claim: KeyClaim, fingerprint: string, sealed: string): Promise<void>;
  /**
   * Lets the key go without an answer (the request failed for an outage): a retry runs again. Only
   * the request's own claim goes: one a retry has taken over since is left to it.
   */
  forget(id: string, claim: KeyClaim): Promise<void>;
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
  // The claims this gateway's requests run now, named before they are written.
  const running = new Set<string>();
  const abandoned = async (held: Entry, staleAfterMs: number) => {
    if (held.startedAt <= now() - staleAfterMs) return true;
    if (held.holder === liveness.self) return !running.has(held.claim ?? '');
    return held.holder !== undefined && (await liveness.gone(held.holder));
  };
  return {
    async begin(id, fingerprint, staleAfterMs) {
      const name = randomUUID();
      running.add(name);
      const claim = encodeJson({ fingerprint, startedAt: now(), holder: liveness.self, claim: name } satisfies Entry);
      let found: Awaited<ReturnType<typeof tryBegin>>;
      try {
        for (let i = 0; i < MAX_TRIES && !found; i++)
          found = await tryBegin(kv, id, claim, fingerprint, (held) => abandoned(held, staleAfterMs));
      } finally {
        if (found?.kind !== 'first') running.delete(name);
      }
      return found?.kind === 'first' ? { kind: 'first', claim: { name, revision: found.revision } } : (found ?? { kind: 'in_flight' });
    },
    async finish(id, claim, fingerprint, sealed) {
      running.delete(claim.name);
      await kv.put(id, encodeJson({ fingerprint, startedAt: now(), sealed } satisfies Entry));
    },
    async forget(id, claim) {
      running.delete(claim.name);
      try {
        await kv.delete(id, { previousSeq: claim.revision });
      } catch (err) {
        // Taken over by a retry since: the key is the retry's now.
        if (!isCasConflict(err)) throw err;
      }
    },
  };
}

/** The claim written. */
interface Written {
  kind: 'first';
  revision: number;
}

/** One conditional write, or what holds the key; undefined when another request wrote in between. */
async function tryBegin(
  kv: KV,
  id: string,
  claim: Uint8Array,
  fingerprint: string,
  abandoned: (held: Entry) => Promise<boolean>,
): Promise<Written | Exclude<Begun, { kind: 'first' }> | undefined> {
  const entry = await kv.get(id);
  const held = entry?.operation === 'PUT' ? (decodeJson(entry.value) as Entry) : undefined;
  if (held && held.fingerprint !== fingerprint) return { kind: 'mismatch' };
  if (held?.sealed) return { kind: 'replay', sealed: held.sealed };
  if (held && !(await abandoned(held))) return { kind: 'in_flight' };
  try {
    const revision = entry ? await kv.update(id, claim, entry.revision) : await kv.create(id, claim);
    return { kind: 'first', revision };
  } catch (err) {
    if (isCasConflict(err)) return undefined;
    throw err;
  }
}
