import type { AnswerStore } from '@headlesskey/platform';
import Fastify from 'fastify';
import { describe, expect, it } from 'vitest';
import { finishIdempotent, idempotencyGuard } from './idempotency.js';

/** A bucket that fails its first `outage` writes, as one does while NATS is away. */
function bucketBackAfter(outage: number) {
  const writes: string[] = [];
  let failed = 0;
  const write = async (what: string) => {
    if (failed < outage) {
      failed += 1;
      throw new Error('bucket unavailable');
    }
    writes.push(what);
  };
  const store: AnswerStore = {
    begin: async () => ({ kind: 'first', claim: { name: 'claim', revision: 1 } }),
    finish: () => write('finish'),
    forget: () => write('forget'),
  };
  return { store, writes, tries: () => failed + writes.length };
}

async function appAnswering(status: number, store: AnswerStore) {
  const app = Fastify({ logger: false });
  app.post('/write', {
    preHandler: idempotencyGuard(store, 'POST /write', 15_000),
    onSend: finishIdempotent(store, 15_000),
    handler: async (_request, reply) => reply.code(status).send({ status }),
  });
  await app.ready();
  return app;
}

const eventually = async (test: () => boolean) => {
  for (let waited = 0; !test(); waited += 50) {
    if (waited > 5000) throw new Error('never happened');
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
};

describe('a key whose outcome the bucket could not take', () => {
  for (const [status, write] of [
    [503, 'forget'],
    [201, 'finish'],
  ] as const) {
    it(`is let go (${write}) once the bucket is back, not left claimed until it goes stale: ${status}`, async () => {
      const bucket = bucketBackAfter(2);
      const app = await appAnswering(status, bucket.store);
      const reply = await app.inject({ method: 'POST', url: '/write', headers: { 'idempotency-key': 'k-1' }, payload: {} });

      // The answer does not wait for the bucket.
      expect(reply.statusCode).toBe(status);
      await eventually(() => bucket.writes.length > 0);
      expect(bucket.writes).toEqual([write]);
      expect(bucket.tries()).toBe(3);
      await app.close();
    });
  }
});
