import { randomUUID } from 'node:crypto';
import { userInfo } from 'node:os';
import { identityCommands, isUserId, PATTERNS, type Role, USER_STATUSES } from '@headlesskey/contracts';
import { type CommandClient, connectBus, createCommandClient, createLogger, readCommonConfig } from '@headlesskey/platform';
import { type AdminCommand, type Output, UsageError } from '../command.js';

type Sub = 'list' | 'show' | 'set-roles' | 'disable' | 'enable' | 'delete';
const SUBS: readonly Sub[] = ['list', 'show', 'set-roles', 'disable', 'enable', 'delete'];

/**
 * User administration from a terminal, for when the API is out of reach: the same commands the
 * gateway sends, over NATS to the instance's identity service, so the same rules hold (the last
 * administrator stays) and the same events are recorded — naming the operator as `{ "cli": "<os
 * user>" }`.
 */
export const usersCommand: AdminCommand = {
  name: 'users',
  usage: 'users list [--search S] [--role R] [--status S] | show ID | set-roles ID ROLE... | disable ID | enable ID | delete ID',
  summary: 'list, show, change the roles of, disable, enable or delete users',
  async run(args, out) {
    const [sub, ...rest] = args;
    if (!SUBS.includes(sub as Sub)) throw new UsageError(sub === undefined ? 'which users command?' : `unknown users command ${sub}`);
    const config = readCommonConfig();
    const nc = await connectBus(config.natsUrl, 'headlesskey-admin', createLogger('admin', 'silent'));
    try {
      return await runSub(sub as Sub, rest, createCommandClient(nc, config.names), out);
    } finally {
      await nc.close();
    }
  },
};

async function runSub(sub: Sub, args: readonly string[], bus: CommandClient, out: Output): Promise<number> {
  if (sub === 'list') {
    const reply = await bus.send(identityCommands.listUsers, listQuery(args));
    if (!reply.ok) return refused(out, reply.error);
    for (const u of reply.data.users) {
      out.say(
        `${String(u.ID).padStart(6)}  ${u.user_login.padEnd(24)} ${u.status.padEnd(8)} ${u.roles.join(',').padEnd(24)} ${u.user_email}`,
      );
    }
    if (reply.data.next_cursor) out.say('(more: narrow the search)');
    return 0;
  }
  const [idText, ...roles] = args;
  const id = userIdOf(idText);
  if (sub === 'show') {
    const reply = await bus.send(identityCommands.getManagedUser, { user_id: id });
    if (!reply.ok) return refused(out, reply.error);
    out.say(JSON.stringify(reply.data, null, 2));
    return 0;
  }
  if (sub === 'set-roles' && roles.length === 0) throw new UsageError('which roles? give one or more');
  if (sub === 'delete') {
    if (roles.length > 0) throw new UsageError('delete takes one user id');
    const reply = await bus.send(identityCommands.deleteUser, { user_id: id, actor: { cli: operator() }, context: cliContext() });
    if (!reply.ok) return refused(out, reply.error);
    out.say(`user ${id}: deleted, and their personal data erased`);
    return 0;
  }
  if (sub !== 'set-roles' && roles.length > 0) throw new UsageError(`${sub} takes one user id`);
  const change =
    sub === 'set-roles' ? { roles: rolesOf(roles) } : { status: sub === 'disable' ? ('disabled' as const) : ('active' as const) };
  const reply = await bus.send(identityCommands.updateUser, {
    user_id: id,
    ...change,
    actor: { cli: operator() },
    context: cliContext(),
  });
  if (!reply.ok) return refused(out, reply.error);
  out.say(`user ${reply.data.ID} (${reply.data.user_login}): ${reply.data.status}, roles ${reply.data.roles.join(', ')}`);
  return 0;
}

function listQuery(args: readonly string[]) {
  const query: { search?: string; role?: Role; status?: (typeof USER_STATUSES)[number]; per_page: string } = { per_page: '100' };
  for (let i = 0; i < args.length; i += 2) {
    const [flag, value] = [args[i], args[i + 1]];
    if (value === undefined) throw new UsageError(`${flag} needs a value`);
    if (flag === '--search') query.search = value;
    else if (flag === '--role') query.role = rolesOf([value])[0];
    else if (flag === '--status') {
      if (!(USER_STATUSES as readonly string[]).includes(value)) throw new UsageError(`status is one of ${USER_STATUSES.join(', ')}`);
      query.status = value as (typeof USER_STATUSES)[number];
    } else throw new UsageError(`unknown option ${flag}`);
  }
  return query;
}

function userIdOf(text: string | undefined): number {
  if (text === undefined || !isUserId(text)) throw new UsageError('give a user id (a whole number)');
  return Number(text);
}

/** Role names of the right shape; whether each is a role here, identity says (custom roles included). */
function rolesOf(names: readonly string[]): Role[] {
  const bad = names.find((name) => !new RegExp(PATTERNS.role.pattern).test(name));
  if (bad !== undefined) throw new UsageError(`${bad} is no role name: ${PATTERNS.role.rule}`);
  return [...new Set(names)];
}

/** A terminal's request: no address, the tool as its agent. */
export const cliContext = () => ({ ip: '', userAgent: 'headlesskey-admin', requestId: randomUUID() });

/** The operator, as the operating system names them (and `SUDO_USER` when run through sudo). */
export function operator(): string {
  return (process.env.SUDO_USER || userInfo().username || 'unknown').slice(0, 128);
}

function refused(out: Output, error: { code: string; message?: string }): number {
  out.warn(`refused: ${error.code}${error.message ? ` (${error.message})` : ''}`);
  return 1;
}
