import type { EventMeta } from '@headlesskey/contracts';
import { describe, expect, it } from 'vitest';
import { withTestStore } from '../../../../test/support/store.js';
import type { Store } from './database.js';
import { type Decider, handleCommand } from './decider.js';
import { appendToStream, ConcurrencyError, type NewEvent, readStream, recordEvents } from './event-store.js';

type Counted = NewEvent<'settings.changed', { by: number }>;
type Failed = NewEvent<'auth.login.failed', { user_id: number | null; reason: 'invalid_credentials' }>;

/** Counts up; folds only its own events, so a stream may hold others it never reads. */
const counter: Decider<{ by: number }, Counted, number> = {
  initialState: 0,
  decide: (command) => [{ type: 'settings.changed', data: { by: command.by } }],
  evolve: (total, event) => total + event.data.by,
  folds: ['settings.changed'],
};

const failed: Failed = { type: 'auth.login.failed', data: { user_id: null, reason: 'invalid_credentials' } };
const UUID_V7 = /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

const meta: EventMeta = { correlationId: 'req-9', actor: '42', ip: '203.0.113.5', userAgent: undefined };
let store: Store;
const { names, scope } = withTestStore((opened) => {
  store = opened;
});

const count = (streamId: string, by: number) => handleCommand({ store, scope, streamId, decider: counter, command: { by }, meta });

async function versions(streamId: string): Promise<{ version: number; type: string }[]> {
  return store.db.execute('select version, type from events where stream_id = ? order by global_position', [streamId]);
}

describe('appendToStream', () => {
  it('gives each event a UUIDv7 id and queues the same envelope in the outbox, on the event’s subject', async () => {
    const { events } = await count('count-1', 5);
    expect(events).toHaveLength(1);
    const db = store.db;
    const [stored] = await db.execute<{ id: string; meta: unknown; recorded_at: string | Date }[]>(
      "select id, meta, recorded_at from events where stream_id = 'count-1'",
    );
    const outbox = await db.execute<{ event_id: string; subject: string; payload: Record<string, unknown> }[]>(
      "select event_id, subject, payload from outbox where payload->>'stream' = 'count-1'",
    );
    expect(stored?.id).toMatch(UUID_V7);
    // Undefined metadata is left out rather than stored as null.
    expect(stored?.meta).toEqual({ correlationId: 'req-9', actor: '42', ip: '203.0.113.5' });
    expect(outbox).toEqual([
      {
        event_id: stored?.id,
        subject: names.event('identity', 'settings.changed'),
        payload: {
          id: stored?.id,
          type: 'settings.changed',
          stream: 'count-1',
          version: 1,
          occurredAt: expect.any(String),
          data: { by: 5 },
          meta: { correlationId: 'req-9', actor: '42', ip: '203.0.113.5' },
        },
      },
    ]);
    expect(new Date(outbox[0]?.payload.occurredAt as string).getTime()).toBe(new Date(stored?.recorded_at ?? 0).getTime());
  });

  it('returns the envelopes it wrote, with distinct ids and consecutive versions', async () => {
    const written = await store.db.transaction((tx) => appendToStream(tx, scope, 'count-2', 0, [failed, failed, failed], meta));
    expect(written.map((e) => e.version)).toEqual([1, 2, 3]);
    expect(new Set(written.map((e) => e.id)).size).toBe(3);
    for (const e of written) expect(e.id).toMatch(UUID_V7);
  });

  it('refuses a stale expected version with ConcurrencyError and keeps nothing of the attempt', async () => {
    await count('count-3', 1);
    const stale = store.db.transaction((tx) => appendToStream(tx, scope, 'count-3', 0, [failed], meta));
    await expect(stale).rejects.toBeInstanceOf(ConcurrencyError);
    expect(await versions('count-3')).toEqual([{ version: 1, type: 'settings.changed' }]);
    const [outbox] = await store.db.execute<{ n: number }[]>("select count(*)::int as n from outbox where payload->>'stream' = 'count-3'");
    expect(outbox?.n).toBe(1);
  });

  it('writes nothing for no events', async () => {
    const written = await store.db.transaction((tx) => appendToStream(tx, scope, 'count-4', 0, [], meta));
    expect(written).toEqual([]);
    expect(await versions('count-4')).toEqual([]);
  });
});

describe('recordEvents', () => {
  it('appends at the end of the stream, whatever its version', async () => {
    await count('count-5', 1);
    await count('count-5', 2);
    const recorded = await recordEvents(store, scope, 'count-5', [failed], meta);
    expect(recorded.map((e) => e.version)).toEqual([3]);
    await recordEvents(store, scope, 'count-5', [failed, failed], meta);
    expect((await versions('count-5')).map((r) => r.version)).toEqual([1, 2, 3, 4, 5]);
  });

  it('lands concurrent recordings on one stream without losing one', async () => {
    await Promise.all(Array.from({ length: 4 }, () => recordEvents(store, scope, 'count-6', [failed], meta)));
    expect((await versions('count-6')).map((r) => r.version)).toEqual([1, 2, 3, 4]);
  });
});

describe('readStream', () => {
  it('narrowed by `folds`, returns only those events but the stream’s real version', async () => {
    await count('count-7', 2);
    await recordEvents(store, scope, 'count-7', [failed], meta);
    await count('count-7', 3);
    await recordEvents(store, scope, 'count-7', [failed], meta);

    const all = await readStream(store.db, 'count-7');
    expect(all.version).toBe(4);
    expect(all.events.map((e) => e.type)).toEqual(['settings.changed', 'auth.login.failed', 'settings.changed', 'auth.login.failed']);

    const narrowed = await readStream(store.db, 'count-7', counter.folds);
    expect(narrowed).toEqual({
      version: 4,
      events: [
        { type: 'settings.changed', data: { by: 2 } },
        { type: 'settings.changed', data: { by: 3 } },
      ],
    });

    // A decider with `folds` appends after the real last version, not after its last folded event.
    const next = await count('count-7', 4);
    expect(next.state).toBe(9);
    expect((await versions('count-7')).at(-1)).toEqual({ version: 5, type: 'settings.changed' });
  });

  it('gives version 0 and no events for a stream never written, narrowed or not', async () => {
    expect(await readStream(store.db, 'nobody')).toEqual({ version: 0, events: [] });
    expect(await readStream(store.db, 'nobody', ['settings.changed'])).toEqual({ version: 0, events: [] });
  });

  it('keeps the real version when none of the stream’s events is folded', async () => {
    await recordEvents(store, scope, 'count-8', [failed, failed], meta);
    expect(await readStream(store.db, 'count-8', counter.folds)).toEqual({ version: 2, events: [] });
    expect((await count('count-8', 1)).state).toBe(1);
    expect((await versions('count-8')).map((r) => r.version)).toEqual([1, 2, 3]);
  });
});
