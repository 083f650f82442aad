import type { identityCommands } from '@headlesskey/contracts';
import {
  appendToStreams,
  isRefusal,
  isUniqueViolation,
  metaFrom,
  retryOnConflict,
  type Sql,
  type StreamAppend,
} from '@headlesskey/platform';
import type { Static } from '@sinclair/typebox';
import type { Identity } from '../../identity.js';
import { actorOf } from '../administration/actor.js';
import { userDecider } from '../decider.js';
import { type Import, userStream } from '../user.js';
import { type Candidate, candidateOf } from './candidate.js';
import { importedRows, keyHolders, keysOf, readUserStreams, reserveIds } from './read-model.js';

type ImportCommand = Static<typeof identityCommands.importUsers.request>;
type ImportOutcome = identityCommands.ImportOutcome;

/** A batch is decided again from the start when a registration took one of its keys meanwhile. */
const TRIES = 3;

/**
 * `importUsers`: a batch of WordPress users in two reads (their streams, the keys they would
 * reserve) and one write (every event, its outbox row and the read model), so a batch costs the
 * same few round trips whatever its size. Each user is answered on its own: imported, unchanged
 * (a rerun), or refused with its reason while the rest go on. A dry run decides and writes nothing.
 */
export function importUsersHandler(app: Identity) {
  return async (cmd: ImportCommand): Promise<{ results: ImportOutcome[] }> => {
    const now = new Date().toISOString();
    const checked = cmd.users.map((user) => ({ id: user.user_id, candidate: candidateOf(user, now) }));
    const valid = checked.flatMap(({ candidate }) => ('reason' in candidate ? [] : [candidate]));
    const decided = await decideBatch(app, cmd, valid);
    return {
      results: checked.map(({ id, candidate }) =>
        'reason' in candidate ? refusedAs(id, candidate.reason) : (decided.get(id) ?? refusedAs(id, 'not_decided')),
      ),
    };
  };
}

async function decideBatch(app: Identity, cmd: ImportCommand, valid: readonly Candidate[]): Promise<Map<number, ImportOutcome>> {
  const { svc } = app;
  if (valid.length === 0) return new Map();
  if (!cmd.dry_run) await reserveIds(svc.store.db, Math.max(...valid.map((c) => c.id)));
  for (let attempt = 1; ; attempt++) {
    try {
      return await retryOnConflict(svc.store, (tx) => decideAndWrite(app, tx, cmd, valid));
    } catch (err) {
      if (!isUniqueViolation(err) || attempt >= TRIES) throw err;
    }
  }
}

async function decideAndWrite(app: Identity, tx: Sql, cmd: ImportCommand, valid: readonly Candidate[]) {
  const commands = await withConflicts(tx, valid, cmd.actor);
  const streams = await readUserStreams(tx, [...new Set(valid.map((c) => userStream(c.id)))]);
  const outcomes = new Map<number, ImportOutcome>();
  const appends: StreamAppend[] = [];
  const imported: Candidate[] = [];
  const meta = metaFrom(cmd.context, actorOf(cmd.actor));
  for (const [candidate, command] of commands) {
    // One WordPress ID twice in a batch: the first one counts.
    if (outcomes.has(candidate.id)) continue;
    const stream = streams.get(userStream(candidate.id));
    const decision = userDecider.decide(command, stream?.state ?? userDecider.initialState);
    if (isRefusal(decision)) {
      outcomes.set(candidate.id, refusedAs(candidate.id, String(decision.details?.reason ?? decision.refused)));
    } else if (decision.length === 0) {
      outcomes.set(candidate.id, { user_id: candidate.id, outcome: 'unchanged' });
    } else {
      outcomes.set(candidate.id, { user_id: candidate.id, outcome: 'imported' });
      appends.push({ streamId: userStream(candidate.id), expectedVersion: stream?.version ?? 0, events: decision, meta });
      imported.push(candidate);
    }
  }
  if (!cmd.dry_run && appends.length > 0) {
    // In one order for every writer (see `decideMany`), so two batches wait rather than deadlock.
    appends.sort((a, b) => (a.streamId < b.streamId ? -1 : a.streamId > b.streamId ? 1 : 0));
    await appendToStreams(tx, app.svc.scope, appends, importedRows(imported));
  }
  return outcomes;
}

/**
 * Each candidate's command, with the login or email another account holds already (in the store,
 * or earlier in this batch: the lower WordPress ID keeps it).
 */
async function withConflicts(tx: Sql, valid: readonly Candidate[], by: ImportCommand['actor']): Promise<[Candidate, Import][]> {
  const holders = await keyHolders(tx, [...new Set(valid.flatMap((c) => keysOf(c).map((k) => k.key)))]);
  return valid.map((c) => {
    const keys = keysOf(c);
    const taken = keys.find(({ key }) => (holders.get(key) ?? c.id) !== c.id);
    if (!taken) for (const { key } of keys) holders.set(key, c.id);
    const conflict = taken ? (taken.kind === 'login' ? 'duplicate_login' : 'duplicate_email') : undefined;
    const { id, login, email, displayName, roles, registeredAt } = c;
    return [c, { type: 'Import', id, login, email, displayName, roles, registeredAt, by, ...(conflict ? { conflict } : {}) }];
  });
}

const refusedAs = (id: number, reason: string): ImportOutcome => ({ user_id: id, outcome: 'refused', reason });
