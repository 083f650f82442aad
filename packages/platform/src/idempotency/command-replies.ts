import { createHash } from 'node:crypto';
import { Migration } from '@mikro-orm/migrations';
import type { Reply } from '../bus/codec.js';
import type { Liveness } from '../bus/liveness.js';
import type { Sql } from '../store/sql.js';
import { derive, recordId, seal, unseal } from './sealing.js';

/**
 * The NATS header of a command the client asked to run once (an HTTP request with an
 * `Idempotency-Key`): a secret derived from that key, never the key itself.
 */
export const COMMAND_KEY_HEADER = 'hk-command-key';

/** How long a command's reply is kept for a repeat: as long as the gateway keeps the answer. */
export const COMMAND_REPLY_TTL_MS = 24 * 3600_000;
/**
 * A claim holds until its command's deadline and this much more; one with no reply by then belongs
 * to a process that died in the command (a live one has long answered, or been given up on), and
 * the next repeat runs the command again (what the dead one committed before it died is not known
 * here). A repeat that learns the holder has gone (`Liveness`) takes the claim over at once.
 */
export const CLAIM_MARGIN_MS = 5000;
/** How long a repeat waits for the first to finish when its sender gave no deadline. */
const DEFAULT_WAIT_MS = 5000;
const POLL_MS = 50;
const SWEEP_EVERY_MS = 600_000;

/** Every writing service's table of the replies of its commands sent with a key. */
export class CommandRepliesMigration extends Migration {
  override async up(): Promise<void> {
    this.addSql(`create table command_replies (
      id text primary key,
      reply text,
      created_at timestamptz not null default now(),
      claimed_until timestamptz not null
    )`);
    this.addSql('create index command_replies_created_at on command_replies (created_at)');
  }
}

/** Names the process holding a claim, so a repeat can ask whether it still runs. */
export class CommandRepliesHolderMigration extends Migration {
  override async up(): Promise<void> {
    this.addSql('alter table command_replies add column claimed_by text');
  }
}

export interface CommandReplies {
  /**
   * Runs `work` once for `key`: a repeat of the command while the first runs waits for its reply
   * (or answers unavailable at its deadline), and a repeat after it gets the recorded reply. Only
   * final replies are recorded: a command that failed for an outage or a fault runs again. The
   * record is the key's for this command and payload: a request that sends two commands, or one
   * command twice with other payloads, gets each its own. A repeat that finds the first one's
   * process gone (killed in the command) runs the command itself.
   */
  once(key: string, command: Command, deadline: number | undefined, work: () => Promise<Reply<unknown>>): Promise<Reply<unknown>>;
}

/** A command as its record knows it: its name and its payload. */
export interface Command {
  name: string;
  payload: unknown;
}

const UNAVAILABLE = { ok: false, error: { code: 'headlesskey_unavailable' } } as const;

/**
 * Replies kept in the service's own database, sealed with a key derived from the command's key:
 * the table alone (a backup, a reader of the database) never shows the tokens a login answered.
 * `liveness` names this process on its claims, and tells whether another claim's holder still runs.
 */
export function commandReplies(db: Sql, liveness: Liveness): CommandReplies {
  const now = Date.now;
  let sweptAt = 0;
  return {
    async once(key, command, deadline, work) {
      const secret = derive(key, saltOf(command), 'command reply');
      const id = recordId(secret, command.name);
      if (now() - sweptAt > SWEEP_EVERY_MS) {
        sweptAt = now();
        await db.execute(`delete from command_replies where created_at < now() - ?::double precision * interval '1 millisecond'`, [
          COMMAND_REPLY_TTL_MS,
        ]);
      }
      const until = deadline ?? now() + DEFAULT_WAIT_MS;
      for (;;) {
        if (await claim(db, id, until - now() + CLAIM_MARGIN_MS, liveness.self)) break;
        const record = await recorded(db, id, secret);
        if (record?.reply) return record.reply;
        if (record?.holder && (await liveness.gone(record.holder))) {
          await release(db, id, record.holder);
          continue;
        }
        if (now() >= until) return UNAVAILABLE;
        await new Promise((resolve) => setTimeout(resolve, POLL_MS));
      }
      let reply: Reply<unknown>;
      try {
        reply = await work();
      } catch (err) {
        await release(db, id, liveness.self);
        throw err;
      }
      // A claim taken over meanwhile is the new holder's to answer.
      if (isFinal(reply)) {
        await db.execute('update command_replies set reply = ? where id = ? and claimed_by = ?', [
          seal(secret, JSON.stringify(reply)),
          id,
          liveness.self,
        ]);
      } else await release(db, id, liveness.self);
      return reply;
    },
  };
}

/**
 * What names a command's record beside the key: the command and its payload, without the request's
 * context (its request id and address differ from one retry to the next; the payload does not).
 */
function saltOf({ name, payload }: Command): string {
  const { context: _context, ...rest } = (payload ?? {}) as Record<string, unknown>;
  return `${name} ${createHash('sha256').update(JSON.stringify(rest)).digest('hex')}`;
}

/** Takes the key for this process for `holdMs`; false when another holds it or has answered it. */
async function claim(db: Sql, id: string, holdMs: number, holder: string): Promise<boolean> {
  await db.execute(
    `delete from command_replies where id = ? and (created_at < now() - ?::double precision * interval '1 millisecond'
       or (reply is null and claimed_until < now()))`,
    [id, COMMAND_REPLY_TTL_MS],
  );
  const rows = await db.execute<unknown[]>(
    `insert into command_replies (id, claimed_until, claimed_by) values (?, now() + ?::double precision * interval '1 millisecond', ?)
     on conflict (id) do nothing returning id`,
    [id, Math.max(0, holdMs), holder],
  );
  return rows.length === 1;
}

/** The key's record: its reply once there is one, else who holds its claim. */
async function recorded(db: Sql, id: string, secret: Buffer): Promise<{ reply?: Reply<unknown>; holder?: string } | undefined> {
  const rows = await db.execute<{ reply: string | null; claimed_by: string | null }[]>(
    'select reply, claimed_by from command_replies where id = ?',
    [id],
  );
  const row = rows[0];
  if (!row) return undefined;
  if (!row.reply) return { holder: row.claimed_by ?? undefined };
  const text = unseal(secret, row.reply);
  return { reply: text === undefined ? UNAVAILABLE : (JSON.parse(text) as Reply<unknown>) };
}

/** Gives up the claim of `holder`, unless it has been answered. */
function release(db: Sql, id: string, holder: string): Promise<unknown> {
  return db.execute('delete from command_replies where id = ? and reply is null and claimed_by = ?', [id, holder]);
}

/** A reply that is the command's outcome, not a failure to reach one. */
function isFinal(reply: Reply<unknown>): boolean {
  return reply.ok || (reply.error.code !== 'headlesskey_unavailable' && reply.error.code !== 'headlesskey_internal_error');
}
