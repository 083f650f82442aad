import { describe, expect, it } from 'vitest';
import { withTestStore } from '../../../../test/support/store.js';
import { eventually } from '../../../../test/support/users.js';
import type { Reply } from '../bus/codec.js';
import type { Store } from '../store/database.js';
import { CLAIM_MARGIN_MS, commandReplies } from './command-replies.js';

describe('command replies', () => {
  let store: Store;
  withTestStore((s) => {
    store = s;
  });
  const soon = () => Date.now() + 2000;
  /** A process that holds its claims, and sees every other holder as still running. */
  const ALIVE = { self: 'this-process', gone: async () => false };
  /** A command with a request context that differs on every send, as a retry's does. */
  const cmd = (name: string, payload: Record<string, unknown> = { token: 't' }) => ({
    name,
    payload: { ...payload, context: { requestId: String(Math.random()) } },
  });

  /** A command whose runs are counted, answering `reply` after `delayMs`. */
  function counted(reply: Reply<unknown>, delayMs = 0) {
    const work = async () => {
      work.runs += 1;
      await new Promise((resolve) => setTimeout(resolve, delayMs));
      return reply;
    };
    work.runs = 0;
    return work;
  }

  it('runs a command once per key: a repeat gets the recorded reply, sealed at rest', async () => {
    const replies = commandReplies(store.db, ALIVE);
    const work = counted({ ok: true, data: { token: 'secret-token-1' } });
    const first = await replies.once('key-1', cmd('tokens.refresh'), soon(), work);
    const again = await replies.once('key-1', cmd('tokens.refresh'), soon(), work);
    expect(again).toEqual(first);
    expect(work.runs).toBe(1);
    const rows = await store.db.execute<{ reply: string }[]>('select reply from command_replies');
    expect(rows.map((row) => row.reply).join()).not.toContain('secret-token-1');
    // Another key, or the same key on another command, is another run.
    await replies.once('key-2', cmd('tokens.refresh'), soon(), work);
    await replies.once('key-1', cmd('identity.login'), soon(), work);
    await replies.once('key-1', cmd('tokens.refresh', { token: 'other' }), soon(), work);
    expect(work.runs).toBe(4);
  });

  it('a repeat while the first runs waits for its reply', async () => {
    const replies = commandReplies(store.db, ALIVE);
    const work = counted({ ok: true, data: { n: 1 } }, 300);
    const [a, b] = await Promise.all([
      replies.once('key-3', cmd('identity.register'), soon(), work),
      replies.once('key-3', cmd('identity.register'), soon(), work),
    ]);
    expect(a).toEqual(b);
    expect(work.runs).toBe(1);
  });

  it('a repeat past its deadline while the first still runs is unavailable, and runs nothing', async () => {
    const replies = commandReplies(store.db, ALIVE);
    const slow = counted({ ok: true, data: {} }, 500);
    const first = replies.once('key-4', cmd('identity.register'), soon(), slow);
    const claimed = async () =>
      (await store.db.execute<unknown[]>('select 1 from command_replies where reply is null')).length > 0 ? true : undefined;
    await eventually(claimed, 2000, 'the first claim');
    expect(await replies.once('key-4', cmd('identity.register'), Date.now() + 100, slow)).toEqual({
      ok: false,
      error: { code: 'headlesskey_unavailable' },
    });
    await first;
    expect(slow.runs).toBe(1);
  });

  it('takes over a claim whose holder died in the command, once its deadline and margin have passed', async () => {
    const replies = commandReplies(store.db, ALIVE);
    const claims = async () => (await store.db.execute<unknown[]>('select id from command_replies where reply is null')).length;
    const before = await claims();
    // The first run's process dies inside the command: its claim stays, with no reply.
    void replies.once('key-dead', cmd('tokens.refresh'), Date.now() + 200, () => new Promise<never>(() => {}));
    await eventually(async () => ((await claims()) === before + 1 ? true : undefined));
    const work = counted({ ok: true, data: { token: 'second' } });
    // Within the claim (its deadline, then CLAIM_MARGIN_MS), a repeat waits and runs nothing.
    expect(await replies.once('key-dead', cmd('tokens.refresh'), Date.now() + 300, work)).toMatchObject({ ok: false });
    expect(work.runs).toBe(0);
    const taken = await eventually(
      async () => {
        const reply = await replies.once('key-dead', cmd('tokens.refresh'), Date.now() + 100, work);
        return reply.ok ? reply : undefined;
      },
      CLAIM_MARGIN_MS + 3000,
      'the dead claim to be taken over',
    );
    expect(taken).toEqual({ ok: true, data: { token: 'second' } });
    expect(work.runs).toBe(1);
  });

  it('takes over at once the claim of a process that has gone; a live one is waited for', async () => {
    const gone = new Set<string>();
    const process = (self: string) => commandReplies(store.db, { self, gone: async (holder) => gone.has(holder) });
    let finish!: (reply: Reply<unknown>) => void;
    // Process a takes the command and hangs in it.
    const first = process('a').once(
      'key-gone',
      cmd('tokens.refresh'),
      Date.now() + 3000,
      () => new Promise((resolve) => (finish = resolve)),
    );
    await eventually(async () => (finish ? true : undefined));
    const work = counted({ ok: true, data: { token: 'from b' } });
    // While a runs, b waits for it, and runs nothing.
    expect(await process('b').once('key-gone', cmd('tokens.refresh'), Date.now() + 300, work)).toMatchObject({ ok: false });
    expect(work.runs).toBe(0);
    // a has gone: b runs the command at once, well within a's claim.
    gone.add('a');
    const started = Date.now();
    expect(await process('b').once('key-gone', cmd('tokens.refresh'), Date.now() + 3000, work)).toEqual({
      ok: true,
      data: { token: 'from b' },
    });
    expect(Date.now() - started).toBeLessThan(1000);
    expect(work.runs).toBe(1);
    // Were a still to answer, its reply is not recorded over b's.
    finish({ ok: true, data: { token: 'from a' } });
    await first;
    expect(await process('c').once('key-gone', cmd('tokens.refresh'), soon(), work)).toEqual({ ok: true, data: { token: 'from b' } });
    expect(work.runs).toBe(1);
  });

  it('an outage or a fault is not recorded: the repeat runs again; a refusal is', async () => {
    const replies = commandReplies(store.db, ALIVE);
    const down = counted({ ok: false, error: { code: 'headlesskey_unavailable' } });
    await replies.once('key-5', cmd('identity.login'), soon(), down);
    await replies.once('key-5', cmd('identity.login'), soon(), down);
    expect(down.runs).toBe(2);
    const thrown = async () => {
      throw new Error('boom');
    };
    await expect(replies.once('key-6', cmd('identity.login'), soon(), thrown)).rejects.toThrow('boom');
    const after = counted({ ok: true, data: {} });
    await replies.once('key-6', cmd('identity.login'), soon(), after);
    expect(after.runs).toBe(1);
    const refused = counted({ ok: false, error: { code: 'headlesskey_invalid_credentials' } });
    await replies.once('key-7', cmd('identity.login'), soon(), refused);
    await replies.once('key-7', cmd('identity.login'), soon(), refused);
    expect(refused.runs).toBe(1);
  });
});
