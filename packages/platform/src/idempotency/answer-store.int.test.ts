import { connect, type NatsConnection } from '@nats-io/transport-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { backendUrls, dropInstance, uniqueInstance } from '../../../../test/support/instance.js';
import { processLiveness } from '../bus/liveness.js';
import { type AnswerStore, type Begun, type KeyClaim, openAnswerStore } from './answer-store.js';

const names = uniqueInstance();
const STALE_MS = 15_000;
let nc: NatsConnection;
let clock = 1_000_000;
let one: AnswerStore;
let two: AnswerStore;

/** The hold of a request that took its key. */
function claimOf(begun: Begun): KeyClaim {
  if (begun.kind !== 'first') throw new Error(`expected the key, got ${begun.kind}`);
  return begun.claim;
}

/** A gateway's store on the bucket, on a clock the test moves. */
const gateway = (on: NatsConnection) =>
  openAnswerStore(on, { names, streamReplicas: 1 }, processLiveness(on, names, 'gateway'), () => clock);

beforeAll(async () => {
  nc = await connect({ servers: backendUrls().natsUrl });
  one = await gateway(nc);
  two = await gateway(nc);
});

afterAll(async () => {
  await nc?.close();
  await dropInstance(names);
});

describe('openAnswerStore', () => {
  it('lets one request hold a key; the others learn it is in flight, or for another body, then get the answer', async () => {
    const begun = await one.begin('k1', 'body-a', STALE_MS);
    expect(begun).toMatchObject({ kind: 'first' });
    expect(await two.begin('k1', 'body-a', STALE_MS)).toEqual({ kind: 'in_flight' });
    expect(await one.begin('k1', 'body-a', STALE_MS)).toEqual({ kind: 'in_flight' });
    expect(await two.begin('k1', 'body-b', STALE_MS)).toEqual({ kind: 'mismatch' });
    await one.finish('k1', claimOf(begun), 'body-a', 'sealed-answer');
    expect(await two.begin('k1', 'body-a', STALE_MS)).toEqual({ kind: 'replay', sealed: 'sealed-answer' });
    expect(await two.begin('k1', 'body-b', STALE_MS)).toEqual({ kind: 'mismatch' });
  });

  it('gives exactly one of racing requests the key', async () => {
    const begun = await Promise.all(Array.from({ length: 8 }, (_, i) => (i % 2 ? one : two).begin('k2', 'body', STALE_MS)));
    expect(begun.filter((b) => b.kind === 'first')).toHaveLength(1);
    expect(begun.filter((b) => b.kind === 'in_flight')).toHaveLength(7);
  });

  it('a key let go runs again, and a stale claim is taken over', async () => {
    await one.forget('k3', claimOf(await one.begin('k3', 'body', STALE_MS)));
    expect(await two.begin('k3', 'body', STALE_MS)).toMatchObject({ kind: 'first' });
    expect(await one.begin('k3', 'body', STALE_MS)).toEqual({ kind: 'in_flight' });
    clock += STALE_MS + 1;
    expect(await one.begin('k3', 'body', STALE_MS)).toMatchObject({ kind: 'first' });
  });

  it("takes over at once its own claim whose request has ended, and lets a late let-go leave the retry's", async () => {
    const own = processLiveness(nc, names, 'gateway');
    // A gateway whose request ended while the bucket was away: the claim stayed, the request did not.
    const before = await openAnswerStore(nc, { names, streamReplicas: 1 }, own, () => clock);
    const first = claimOf(await before.begin('k5', 'body', STALE_MS));
    const after = await openAnswerStore(nc, { names, streamReplicas: 1 }, own, () => clock);
    const retry = claimOf(await after.begin('k5', 'body', STALE_MS));
    expect(await one.begin('k5', 'body', STALE_MS)).toEqual({ kind: 'in_flight' });
    // The first request's let-go, landing late, leaves the retry's claim alone.
    await before.forget('k5', first);
    expect(await one.begin('k5', 'body', STALE_MS)).toEqual({ kind: 'in_flight' });
    await after.finish('k5', retry, 'body', 'sealed');
    expect(await one.begin('k5', 'body', STALE_MS)).toEqual({ kind: 'replay', sealed: 'sealed' });
  });

  it('takes over at once a claim whose gateway has gone, and only then', async () => {
    const own = await connect({ servers: backendUrls().natsUrl });
    const killed = await gateway(own);
    expect(await killed.begin('k4', 'body', STALE_MS)).toMatchObject({ kind: 'first' });
    expect(await one.begin('k4', 'body', STALE_MS)).toEqual({ kind: 'in_flight' });
    // Its connection gone, as a process killed in the request.
    await own.close();
    expect(await one.begin('k4', 'body', STALE_MS)).toMatchObject({ kind: 'first' });
    expect(await two.begin('k4', 'body', STALE_MS)).toEqual({ kind: 'in_flight' });
  });
});
