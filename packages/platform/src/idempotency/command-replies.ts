import { createHash } from 'node:crypto';
import { Migration } from '@mikro-orm/migrations';
import type { Reply } from '../bus/codec.js';
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
 * here). Kept short, so a killed replica's keyed requests are not refused for long.
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

export interface CommandReplies {
  /**
   * Runs `work` once for `key`: a repeat of the command while the first runs waits for its reply
   * (or answers unavailable at its deadline), and a repeat after it gets the recorded reply. Only
   * final replies are recorded: a command that failed for an outage or a fault runs again. The
   * record is the key's for this command and payload: a request that sends two commands, or one
   * command twice with other payloads, gets each its own.
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
 */
export function commandReplies(db: Sql, now: () => number = Date.now): CommandReplies {
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
        if (await claim(db, id, until - now() + CLAIM_MARGIN_MS)) break;
        const recorded = await recordedReply(db, id, secret);
        if (recorded) return recorded;
        if (now() >= until) return UNAVAILABLE;
        await new Promise((resolve) => setTimeout(resolve, POLL_MS));
      }
      let reply: Reply<unknown>;
      try {
        reply = await work();
      } catch (err) {
        await release(db, id);
        throw err;
      }
      if (isFinal(reply)) await db.execute('update command_replies set reply = ? where id = ?', [seal(secret, JSON.stringify(reply)), id]);
      else await release(db, id);
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
async function claim(db: Sql, id: string, holdMs: number): Promise<boolean> {
  await db.execute(
    `delete from command_replies where id = ? and (created_at < now() - ?::double precision * interval '1 millisecond'
       or (reply is null and claimed_until < now()))`,
    [id, COMMAND_REPLY_TTL_MS],
  );
  const rows = await db.execute<unknown[]>(
    `insert into command_replies (id, claimed_until) values (?, now() + ?::double precision * interval '1 millisecond')
     on conflict (id) do nothing returning id`,
    [id, Math.max(0, holdMs)],
  );
  return rows.length === 1;
}

async function recordedReply(db: Sql, id: string, secret: Buffer): Promise<Reply<unknown> | undefined> {
  const rows = await db.execute<{ reply: string | null }[]>('select reply from command_replies where id = ?', [id]);
  const sealed = rows[0]?.reply;
  if (!sealed) return undefined;
  const text = unseal(secret, sealed);
  return text === undefined ? UNAVAILABLE : (JSON.parse(text) as Reply<unknown>);
}

function release(db: Sql, id: string): Promise<unknown> {
  return db.execute('delete from command_replies where id = ? and reply is null', [id]);
}

/** A reply that is the command's outcome, not a failure to reach one. */
function isFinal(reply: Reply<unknown>): boolean {
  return reply.ok || (reply.error.code !== 'headlesskey_unavailable' && reply.error.code !== 'headlesskey_internal_error');
}
