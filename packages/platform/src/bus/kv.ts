import type { Names } from '@headlesskey/contracts';
import { JetStreamApiCodes, JetStreamApiError, jetstream } from '@nats-io/jetstream';
import { type KV, Kvm, type KvOptions } from '@nats-io/kv';
import type { NatsConnection } from '@nats-io/transport-node';
import type { CommonConfig } from '../config/common.js';

/** Where an instance's buckets are and how they are replicated: both from the common configuration. */
export type BucketPlace = Pick<CommonConfig, 'names' | 'streamReplicas'>;

/** The instance's KV buckets, by what they hold. */
export type BucketName = keyof Pick<Names, 'settingsBucket' | 'rateLimitBucket' | 'idempotencyBucket'>;

/**
 * How long one operation of a bucket in a request's path may wait: a healthy bucket answers in a
 * millisecond or two, and past this the request goes on without it (the caller says how).
 */
export const IN_REQUEST_BUCKET_WAIT_MS = 1000;

/**
 * One of the instance's KV buckets, created on first use by whichever process comes first. The
 * replicas come with the place, never as a default: whoever creates a bucket fixes them for good.
 * With `answerWithinMs`, each operation of the handle gives up after that long instead of
 * JetStream's 5 s: a bucket in a request's path (its stream without a leader while a NATS node is
 * lost) then costs the request a moment, and the caller decides what to do without it.
 */
export async function openInstanceBucket(
  nc: NatsConnection,
  { names, streamReplicas }: BucketPlace,
  bucket: BucketName,
  options: Pick<Partial<KvOptions>, 'history' | 'ttl'>,
  answerWithinMs?: number,
): Promise<KV> {
  const kv = await new Kvm(nc).create(names[bucket], { ...options, replicas: streamReplicas });
  if (answerWithinMs === undefined) return kv;
  // Bound without a lookup, so it must be told how its stream answers reads (any replica, or the leader).
  const { allow_direct } = (await kv.status()).streamInfo.config;
  return new Kvm(jetstream(nc, { timeout: answerWithinMs })).open(names[bucket], { allow_direct });
}

/** A compare-and-set write (`create`, `update`) lost to another write of the same key. */
export function isCasConflict(err: unknown): boolean {
  return (
    err instanceof JetStreamApiError &&
    (err.code === JetStreamApiCodes.StreamWrongLastSequence || err.code === JetStreamApiCodes.StreamWrongLastSequenceUnknown)
  );
}
