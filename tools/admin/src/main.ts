#!/usr/bin/env node
/**
 * `npm run admin -- COMMAND …`: an operator's commands against the servers at `DATABASE_URL` and
 * `NATS_URL` (the same variables, and defaults, as the services). Exit 0 done, 1 refused or
 * failed, 2 a wrong use.
 */
import { type AdminCommand, type Output, UsageError } from './command.js';
import { dropInstanceCommand } from './commands/drop-instance.js';
import { importCommand } from './commands/import-wordpress.js';
import { usersCommand } from './commands/users.js';

const COMMANDS: readonly AdminCommand[] = [dropInstanceCommand, usersCommand, importCommand];

const out: Output = {
  say: (line) => process.stdout.write(`${line}\n`),
  warn: (line) => process.stderr.write(`${line}\n`),
};

function usage(): string {
  return ['usage: npm run admin -- COMMAND', ...COMMANDS.map((c) => `  ${c.usage.padEnd(28)} ${c.summary}`)].join('\n');
}

const [name, ...args] = process.argv.slice(2);
const command = COMMANDS.find((c) => c.name === name);
if (!command) {
  out.warn(name === undefined || name === 'help' || name === '--help' ? usage() : `unknown command ${name}\n${usage()}`);
  process.exit(name === 'help' || name === '--help' ? 0 : 2);
}
try {
  process.exitCode = await command.run(args, out);
} catch (err) {
  if (err instanceof UsageError) {
    out.warn(`${command.name}: ${err.message}\nusage: npm run admin -- ${command.usage}`);
    process.exitCode = 2;
  } else {
    out.warn(`${command.name}: ${err instanceof Error ? err.message : String(err)}`);
    process.exitCode = 1;
  }
}
