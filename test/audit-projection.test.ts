import type { NatsConnection, Subscription } from '@nats-io/transport-node';
import type pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN_ENV, adminToken, call, envelope, publishEvent, rawBus, serviceDb } from './support/admin-api.js';
import { rebuildActivityLog } from './support/audit-cli.js';
import { startTestSystem, type TestSystem } from './support/system.js';
import { eventually, newUser } from './support/users.js';

const DAY = 86_400_000;

interface Entry {
  id: string;
  event: string;
  occurred_at: string;
  [key: string]: unknown;
}

/** The projector's promises: once per event, poison aside, retention, and a rebuild that changes nothing. */
describe('activity log projection', () => {
  let system: TestSystem;
  let admin: string;
  let nc: NatsConnection;
  let db: pg.Client;

  const entry = async (id: string) => {
    const { rows } = await db.query('select event_id from activity_log where event_id = $1', [id]);
    return rows.length;
  };
  const allEntries = async (): Promise<Entry[]> => {
    const out: Entry[] = [];
    let cursor: string | null = null;
    do {
      const reply: { status: number; body: { entries: Entry[]; next_cursor: string | null } } = await call(
        system,
        admin,
        'GET',
        `/logs?per_page=100${cursor ? `&cursor=${cursor}` : ''}`,
      );
      expect(reply.status).toBe(200);
      out.push(...reply.body.entries);
      cursor = reply.body.next_cursor;
    } while (cursor);
    return out;
  };
  const rebuild = () => rebuildActivityLog(system);

  beforeAll(async () => {
    system = await startTestSystem({ env: { ...ADMIN_ENV, HEADLESSKEY_AUDIT_PURGE_INTERVAL_MS: '200' } });
    admin = await adminToken(system);
    nc = await rawBus();
    db = await serviceDb(system, 'audit');
  });

  afterAll(async () => {
    await Promise.allSettled([nc?.close(), db?.end()]);
    await system?.stop();
  });

  it('writes an event once however often it is delivered', async () => {
    const event = envelope('auth.login.failed', { user_id: null, reason: 'invalid_credentials' });
    // Distinct message ids, so the stream keeps both copies and the projector sees both.
    await publishEvent(nc, system.names, event);
    await publishEvent(nc, system.names, event);
    const marker = envelope('auth.login.failed', { user_id: null, reason: 'invalid_credentials' });
    await publishEvent(nc, system.names, marker);
    await eventually(async () => ((await entry(marker.id)) === 1 ? true : undefined), 15_000, 'the marker');
    expect(await entry(event.id)).toBe(1);
  });

  it('dead-letters a poison event and goes on with the next', async () => {
    const letters: { reason: string; data: string }[] = [];
    const sub: Subscription = nc.subscribe(system.names.deadLetter(system.names.consumer('audit')), {
      callback: (_err, msg) => {
        letters.push(msg.json());
      },
    });
    await nc.flush();
    try {
      const badTime = envelope('auth.login.failed', { user_id: null }, { occurredAt: 'not a time' });
      const badUser = envelope('auth.login.failed', { user_id: 1e12 });
      await publishEvent(nc, system.names, 'this is not JSON');
      await publishEvent(nc, system.names, badTime);
      await publishEvent(nc, system.names, badUser);
      const good = envelope('auth.login.failed', { user_id: null, reason: 'invalid_credentials' });
      await publishEvent(nc, system.names, good);
      await eventually(async () => ((await entry(good.id)) === 1 ? true : undefined), 15_000, 'the event after the poison');
      await eventually(async () => (letters.length >= 3 ? true : undefined), 10_000, 'three dead letters');
      expect(letters.map((l) => l.reason)).toEqual([
        'not JSON',
        'occurredAt is not an RFC 3339 date-time',
        'data.user_id is not a user id',
      ]);
      expect(letters[1]!.data).toContain(badTime.id);
      expect((await entry(badTime.id)) + (await entry(badUser.id))).toBe(0);
    } finally {
      sub.unsubscribe();
    }
  });

  it('purges entries past log_retention_days, and never writes one already past it', async () => {
    const old = envelope('auth.login.failed', { user_id: null }, { occurredAt: new Date(Date.now() - 10 * DAY).toISOString() });
    const recent = envelope('auth.login.failed', { user_id: null }, { occurredAt: new Date(Date.now() - 2 * DAY).toISOString() });
    await publishEvent(nc, system.names, old);
    await publishEvent(nc, system.names, recent);
    await eventually(async () => ((await entry(old.id)) + (await entry(recent.id)) === 2 ? true : undefined), 15_000, 'both entries');

    await setSetting(system, 'log_retention_days', 5);
    await eventually(async () => ((await entry(old.id)) === 0 ? true : undefined), 15_000, 'the old entry purged');
    expect(await entry(recent.id)).toBe(1);

    const stale = envelope('auth.login.failed', { user_id: null }, { occurredAt: new Date(Date.now() - 6 * DAY).toISOString() });
    const marker = envelope('auth.login.failed', { user_id: null });
    await publishEvent(nc, system.names, stale);
    await publishEvent(nc, system.names, marker);
    await eventually(async () => ((await entry(marker.id)) === 1 ? true : undefined), 15_000, 'the marker');
    expect(await entry(stale.id)).toBe(0);
  });

  it('rebuilds from the stream into a new version with the same result, while reads go on', async () => {
    for (let i = 0; i < 3; i++) expect((await system.post('/register', newUser('rb'))).status).toBe(201);
    const last = envelope('auth.login.failed', { user_id: null });
    await publishEvent(nc, system.names, last);
    await eventually(async () => ((await entry(last.id)) === 1 ? true : undefined), 15_000, 'the last event');
    const before = await allEntries();
    const rowsBefore = await tableRows(db);

    // Hold the rebuild in the middle: its first batch (which names users) waits for this lock,
    // so reads and new events can be shown to carry on while it is under way.
    const holder = await serviceDb(system, 'audit');
    await holder.query('begin');
    await holder.query('lock table audit_users in share mode');
    const running = rebuild();
    try {
      // The rebuild is a process of its own: on a busy machine, loading it alone takes seconds.
      await eventually(async () => ((await versions(db)).building === 2 ? true : undefined), 45_000, 'the rebuild under way');
      const during = envelope('auth.login.failed', { user_id: null });
      await publishEvent(nc, system.names, during);
      await eventually(async () => ((await entry(during.id)) === 1 ? true : undefined), 15_000, 'a new event while rebuilding');
      const read = await allEntries();
      expect(read.map((e) => e.id)).toEqual([during.id, ...before.map((e) => e.id)]);
      expect((await versions(db)).building).toBe(2);
      const second = await rebuild();
      expect(second.code).toBe(1);
      expect(second.stderr).toContain('already running');
      before.unshift(read[0]!);
    } finally {
      await holder.query('rollback');
      await holder.end();
    }
    const result = await running;
    expect(result.code, result.stderr).toBe(0);
    expect(JSON.parse(result.stdout.trim().split('\n').at(-1)!)).toMatchObject({ rebuilt: { version: 2, previous: 1 } });

    expect(await versions(db)).toEqual({ live: 2, building: null });
    const { rows } = await db.query("select 1 from information_schema.tables where table_name = 'activity_log_v1'");
    expect(rows).toHaveLength(0);
    expect(await allEntries()).toEqual(before);
    const rowsAfter = await tableRows(db);
    expect(rowsAfter.filter((r) => rowsBefore.some((b) => b.event_id === r.event_id))).toEqual(rowsBefore);
    // Poison, duplicates and expired entries stay out of the rebuilt version as they stayed out of the first.
    expect(rowsAfter).toHaveLength(rowsBefore.length + 1);

    const after = envelope('auth.login.failed', { user_id: null });
    await publishEvent(nc, system.names, after);
    await eventually(async () => ((await entry(after.id)) === 1 ? true : undefined), 15_000, 'an event after the swap');
  }, 120_000);
});

async function versions(db: pg.Client): Promise<{ live: number; building: number | null }> {
  const { rows } = await db.query<{ live: number; building: number | null }>('select live, building from activity_log_versions');
  return rows[0]!;
}

/**
 * Every column of every row, in a stable order: the rebuild must reproduce them exactly — all but
 * `projected_at`, which says when a row was written and so must be later than its event.
 */
async function tableRows(db: pg.Client): Promise<Record<string, unknown>[]> {
  const { rows } = await db.query<Record<string, unknown> & { projected_at: Date; occurred_at: Date }>(
    'select * from activity_log order by event_id',
  );
  return rows.map(({ projected_at, ...row }) => {
    expect(projected_at.getTime()).toBeGreaterThanOrEqual(row.occurred_at.getTime());
    return row;
  });
}

async function setSetting(system: TestSystem, name: string, value: unknown): Promise<void> {
  const { Kvm } = await import('@nats-io/kv');
  const nc = await rawBus();
  try {
    const kv = await new Kvm(nc).open(system.names.settingsBucket);
    await kv.put(name, JSON.stringify(value));
  } finally {
    await nc.close();
  }
}
