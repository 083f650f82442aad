import type { Names } from '@headlesskey/contracts';
import { JetStreamApiCodes, JetStreamApiError } from '@nats-io/jetstream';
import { type KV, Kvm, type KvOptions } from '@nats-io/kv';
import type { NatsConnection } from '@nats-io/transport-node';
import type { CommonConfig } from '../config/common.js';

/** Where an instance's buckets are and how they are replicated: both from the common configuration. */
export type BucketPlace = Pick<CommonConfig, 'names' | 'streamReplicas'>;

/** The instance's KV buckets, by what they hold. */
export type BucketName = keyof Pick<Names, 'settingsBucket' | 'rateLimitBucket' | 'idempotencyBucket'>;

/**
 * One of the instance's KV buckets, created on first use by whichever process comes first. The
 * replicas come with the place, never as a default: whoever creates a bucket fixes them for good.
 */
export function openInstanceBucket(
  nc: NatsConnection,
  { names, streamReplicas }: BucketPlace,
  bucket: BucketName,
  options: Pick<Partial<KvOptions>, 'history' | 'ttl'>,
): Promise<KV> {
  return new Kvm(nc).create(names[bucket], { ...options, replicas: streamReplicas });
}

/** A compare-and-set write (`create`, `update`) lost to another write of the same key. */
export function isCasConflict(err: unknown): boolean {
  return (
    err instanceof JetStreamApiError &&
    (err.code === JetStreamApiCodes.StreamWrongLastSequence || err.code === JetStreamApiCodes.StreamWrongLastSequenceUnknown)
  );
}
