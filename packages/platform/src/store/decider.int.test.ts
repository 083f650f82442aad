import type { EventMeta } from '@headlesskey/contracts';
import { Migration } from '@mikro-orm/migrations';
import { describe, expect, it } from 'vitest';
import { withTestStore } from '../../../../test/support/store.js';
import { DomainError } from '../bus/domain-error.js';
import type { Store } from './database.js';
import { type Decider, handleCommand, refuse } from './decider.js';
import type { NewEvent } from './event-store.js';
import type { Sql } from './sql.js';

/** A tiny list aggregate: each added item is an event; no duplicates; at most `limit` items. */
type Added = NewEvent<'settings.changed', { item: string }>;
interface AddItems {
  items: string[];
  limit?: number;
}
type Items = readonly string[];

const listDecider: Decider<AddItems, Added, Items> = {
  initialState: [],
  decide(command, items) {
    const taken = command.items.find((item) => items.includes(item));
    if (taken) return refuse('headlesskey_user_exists', `${taken} is already listed`, { item: taken });
    if (items.length + command.items.length > (command.limit ?? Number.POSITIVE_INFINITY)) return refuse('headlesskey_device_limit');
    return command.items.map((item) => ({ type: 'settings.changed', data: { item } }));
  },
  evolve: (items, event) => [...items, event.data.item],
};

class ListItemsMigration extends Migration {
  override async up(): Promise<void> {
    this.addSql('create table list_items (stream_id text not null, item text not null)');
  }
}

const meta: EventMeta = { correlationId: 'req-1', actor: '7' };
let store: Store;
const { scope } = withTestStore(
  (opened) => {
    store = opened;
  },
  [{ name: '0001_list_items', class: ListItemsMigration }],
);

const add = (streamId: string, command: AddItems, decider = listDecider) =>
  handleCommand({ store, scope, streamId, decider, command, meta });

async function rows(streamId: string) {
  const db = store.db;
  const events = await db.execute<{ version: number; item: string }[]>(
    "select version, data->>'item' as item from events where stream_id = ? order by global_position",
    [streamId],
  );
  const [outbox] = await db.execute<{ n: number }[]>("select count(*)::int as n from outbox where payload->>'stream' = ?", [streamId]);
  const [projected] = await db.execute<{ n: number }[]>('select count(*)::int as n from list_items where stream_id = ?', [streamId]);
  return { events, outbox: outbox?.n, projected: projected?.n };
}

/**
 * A decider that lets each of two racing commands read and decide before either commits: the
 * first one to append waits in `project` until the other has decided, so one of them must lose.
 */
function racingDecider() {
  const seen: Items[] = [];
  let release!: () => void;
  const bothDecided = new Promise<void>((resolve) => {
    release = resolve;
  });
  const decider: Decider<AddItems, Added, Items> = {
    ...listDecider,
    decide(command, items) {
      seen.push(items);
      if (seen.length === 2) release();
      return listDecider.decide(command, items);
    },
  };
  const project = async () => {
    await bothDecided;
  };
  return { decider, project, seen };
}

describe('handleCommand', () => {
  it('appends the decided events with versions 1..n, continuing from the stream’s last version', async () => {
    const first = await add('list-1', { items: ['a', 'b'] });
    expect(first.events).toEqual([
      { type: 'settings.changed', data: { item: 'a' } },
      { type: 'settings.changed', data: { item: 'b' } },
    ]);
    expect(first.state).toEqual(['a', 'b']);
    const second = await add('list-1', { items: ['c'] });
    expect(second.state).toEqual(['a', 'b', 'c']);
    const written = await rows('list-1');
    expect(written.events).toEqual([
      { version: 1, item: 'a' },
      { version: 2, item: 'b' },
      { version: 3, item: 'c' },
    ]);
    expect(written.outbox).toBe(3);
  });

  it('writes nothing for a refusal and throws its DomainError', async () => {
    await add('list-2', { items: ['a'] });
    const refused = await add('list-2', { items: ['b', 'a'] }).catch((err: unknown) => err);
    expect(refused).toBeInstanceOf(DomainError);
    expect((refused as DomainError).toBody()).toEqual({
      code: 'headlesskey_user_exists',
      message: 'a is already listed',
      details: { item: 'a' },
    });
    expect(await rows('list-2')).toEqual({ events: [{ version: 1, item: 'a' }], outbox: 1, projected: 0 });
  });

  it('lands two concurrent commands on one stream: the loser decides again on the newer state', async () => {
    const { decider, project, seen } = racingDecider();
    const run = (item: string) =>
      handleCommand({ store, scope, streamId: 'list-race', decider, command: { items: [item] }, meta, project });
    const [a, b] = await Promise.all([run('a'), run('b')]);

    // Both decided on the empty list; exactly one decided a second time, on the winner's item.
    expect(seen).toHaveLength(3);
    expect(seen.slice(0, 2)).toEqual([[], []]);
    const written = await rows('list-race');
    const winner = written.events[0]?.item;
    const loser = winner === 'a' ? 'b' : 'a';
    expect(seen[2]).toEqual([winner]);
    expect(written.events).toEqual([
      { version: 1, item: winner },
      { version: 2, item: loser },
    ]);
    expect(written.outbox).toBe(2);
    expect((loser === 'a' ? a : b).state).toEqual([winner, loser]);
    expect((winner === 'a' ? a : b).state).toEqual([winner]);
  });

  it('fails the loser with the refusal it meets on the newer state', async () => {
    const { decider, project, seen } = racingDecider();
    const run = (item: string) =>
      handleCommand({ store, scope, streamId: 'list-full', decider, command: { items: [item], limit: 1 }, meta, project });
    const outcomes = await Promise.allSettled([run('a'), run('b')]);

    expect(seen).toHaveLength(3);
    const rejected = outcomes.filter((o) => o.status === 'rejected');
    expect(rejected).toHaveLength(1);
    const reason = (rejected[0] as PromiseRejectedResult).reason;
    expect(reason).toBeInstanceOf(DomainError);
    expect((reason as DomainError).code).toBe('headlesskey_device_limit');
    const written = await rows('list-full');
    expect(written.events).toHaveLength(1);
    expect(written.events[0]?.version).toBe(1);
    expect(written.outbox).toBe(1);
  });

  it('projects in the same transaction as the append', async () => {
    const project = async (tx: Sql, events: readonly Added[]) => {
      for (const e of events) await tx.execute('insert into list_items (stream_id, item) values (?, ?)', ['list-3', e.data.item]);
    };
    await handleCommand({ store, scope, streamId: 'list-3', decider: listDecider, command: { items: ['a', 'b'] }, meta, project });
    expect(await rows('list-3')).toMatchObject({ outbox: 2, projected: 2 });

    // The projection writes its rows, then fails: the events, outbox rows and projected rows all roll back.
    const failing = async (tx: Sql, events: readonly Added[]) => {
      await project(tx, events);
      throw new Error('read model broke');
    };
    const run = handleCommand({
      store,
      scope,
      streamId: 'list-3',
      decider: listDecider,
      command: { items: ['c'] },
      meta,
      project: failing,
    });
    await expect(run).rejects.toThrow('read model broke');
    expect(await rows('list-3')).toEqual({
      events: [
        { version: 1, item: 'a' },
        { version: 2, item: 'b' },
      ],
      outbox: 2,
      projected: 2,
    });
  });

  it('hands `project` the new events and the state after them', async () => {
    const calls: unknown[] = [];
    await add('list-4', { items: ['a'] });
    await handleCommand({
      store,
      scope,
      streamId: 'list-4',
      decider: listDecider,
      command: { items: ['b'] },
      meta,
      project: async (_em, events, state) => {
        calls.push({ events, state });
      },
    });
    expect(calls).toEqual([{ events: [{ type: 'settings.changed', data: { item: 'b' } }], state: ['a', 'b'] }]);
  });
});

describe('snapshots', () => {
  const snapshotted: Decider<AddItems, Added, Items> = { ...listDecider, snapshots: true };
  const snapshotOf = async (streamId: string) =>
    (
      await store.db.execute<{ version: number; state: Items }[]>('select version, state from snapshots where stream_id = ?', [streamId])
    )[0];

  it('keeps the folded state beside the events and decides from it', async () => {
    for (const item of ['a', 'b', 'c']) await add('snap-1', { items: [item] }, snapshotted);
    expect(await snapshotOf('snap-1')).toEqual({ version: 3, state: ['a', 'b', 'c'] });
    const refused = await add('snap-1', { items: ['b'] }, snapshotted).catch((err: DomainError) => err.code);
    expect(refused).toBe('headlesskey_user_exists');
    expect((await add('snap-1', { items: ['d'] }, snapshotted)).state).toEqual(['a', 'b', 'c', 'd']);
  });

  it('folds the events recorded after an older snapshot, and rebuilds without one', async () => {
    for (const item of ['a', 'b']) await add('snap-2', { items: [item] }, snapshotted);
    await add('snap-2', { items: ['c'] }); // written without a snapshot: the snapshot is now behind
    expect((await add('snap-2', { items: ['d'] }, snapshotted)).before).toEqual(['a', 'b', 'c']);
    await store.db.execute('delete from snapshots where stream_id = ?', ['snap-2']);
    expect((await add('snap-2', { items: ['e'] }, snapshotted)).before).toEqual(['a', 'b', 'c', 'd']);
  });

  it('lets only one of two racing commands land on a snapshotted stream', async () => {
    await add('snap-3', { items: ['a'] }, snapshotted);
    const results = await Promise.allSettled([
      add('snap-3', { items: ['x'], limit: 2 }, snapshotted),
      add('snap-3', { items: ['y'], limit: 2 }, snapshotted),
    ]);
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    expect((await snapshotOf('snap-3'))?.state).toHaveLength(2);
  });
});
