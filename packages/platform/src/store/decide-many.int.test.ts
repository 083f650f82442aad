import type { EventMeta } from '@headlesskey/contracts';
import { describe, expect, it } from 'vitest';
import { withTestStore } from '../../../../test/support/store.js';
import type { Store } from './database.js';
import { decideMany, isDecided } from './decide-many.js';
import { type Decider, refuse } from './decider.js';
import type { NewEvent } from './event-store.js';

/** A counter that refuses to pass `max`; every step is an event, so streams grow long. */
type Stepped = NewEvent<'settings.changed', { by: number }>;
interface Step {
  by: number;
  max?: number;
}
interface Count {
  n: number;
}

const counter = (snapshots: boolean): Decider<Step, Stepped, Count> => ({
  initialState: { n: 0 },
  decide: (step, { n }) =>
    n + step.by > (step.max ?? 1000) ? refuse('headlesskey_device_limit') : [{ type: 'settings.changed', data: { by: step.by } }],
  evolve: ({ n }, e) => ({ n: n + e.data.by }),
  snapshots,
});

const meta: EventMeta = { correlationId: 'req-1', actor: '7' };
let store: Store;
const { scope } = withTestStore((opened) => {
  store = opened;
});

const run = (decider: Decider<Step, Stepped, Count>, commands: { streamId: string; command: Step }[]) =>
  decideMany(store.db, { scope, decider, commands: commands.map((c) => ({ ...c, meta })) });

/** Until some session of this database waits for a lock another transaction holds. */
async function waitForLockWaiter() {
  for (let i = 0; i < 200; i++) {
    const rows = await store.db.execute("select 1 from pg_stat_activity where datname = current_database() and wait_event_type = 'Lock'");
    if (rows.length > 0) return;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  throw new Error('no session ever waited for the lock');
}

async function versions(streamId: string) {
  return store.db
    .execute<{ version: number }[]>('select version from events where stream_id = ? order by version', [streamId])
    .then((rows) => rows.map((r) => r.version));
}

describe.each([true, false])('decideMany (snapshots: %s)', (snapshots) => {
  const decider = counter(snapshots);
  const id = (name: string) => `${name}-${snapshots}`;

  it('decides each command on its own stream, a second one on a stream after the first, and answers in order', async () => {
    await run(decider, [{ streamId: id('a'), command: { by: 5 } }]);
    const results = await run(decider, [
      { streamId: id('a'), command: { by: 1 } },
      { streamId: id('b'), command: { by: 2 } },
      { streamId: id('a'), command: { by: 3 } },
    ]);
    expect(results.map((r) => (isDecided(r) ? r.state.n : r.refused))).toEqual([6, 2, 9]);
    expect(await versions(id('a'))).toEqual([1, 2, 3]);
    expect(await versions(id('b'))).toEqual([1]);
    // A later batch reads the streams as they were left: snapshot (or events) and all.
    const [again] = await run(decider, [{ streamId: id('a'), command: { by: 1 } }]);
    expect(again && isDecided(again) && again.before.n).toBe(9);
  });

  it('answers a refusal in its place and writes nothing for it, while the others commit', async () => {
    const results = await run(decider, [
      { streamId: id('c'), command: { by: 1 } },
      { streamId: id('d'), command: { by: 50, max: 10 } },
      { streamId: id('c'), command: { by: 1 } },
    ]);
    expect(results.map((r) => (isDecided(r) ? r.state.n : r.refused))).toEqual([1, 'headlesskey_device_limit', 2]);
    expect(await versions(id('c'))).toEqual([1, 2]);
    expect(await versions(id('d'))).toEqual([]);
  });

  it('decides the whole batch again when a stream moved after it was read, and writes it once', async () => {
    await run(decider, [{ streamId: id('e'), command: { by: 1 } }]);
    // Another writer takes `e`'s next version first and holds it uncommitted: the batch reads
    // version 1, then waits on that row when it appends, and loses once the writer commits.
    const done = store.db.transaction(async (tx) => {
      await tx.execute(
        `insert into events (id, stream_id, version, type, data, meta, recorded_at) values (gen_random_uuid(), ?, 2, 'settings.changed', '{"by":10}', '{}', now())`,
        [id('e')],
      );
      const attempt = run(decider, [
        { streamId: id('f'), command: { by: 1 } },
        { streamId: id('e'), command: { by: 1 } },
      ]);
      attempt.catch(() => {});
      await waitForLockWaiter();
      // Wrapped: returning the promise itself would make this transaction wait for it.
      return { attempt };
    });
    const results = await (await done).attempt;
    // Decided again on the other writer's event: 1 + 10, then + 1.
    expect(results.map((r) => (isDecided(r) ? r.state.n : r.refused))).toEqual([1, 12]);
    expect(await versions(id('e'))).toEqual([1, 2, 3]);
    expect(await versions(id('f'))).toEqual([1]);
  });

  it('decides a stream many batches long on its whole history', async () => {
    for (let i = 0; i < 30; i++) await run(decider, [{ streamId: id('long'), command: { by: 1 } }]);
    const [last] = await run(decider, [{ streamId: id('long'), command: { by: 1 } }]);
    expect(last && isDecided(last) && last.state.n).toBe(31);
  });
});
