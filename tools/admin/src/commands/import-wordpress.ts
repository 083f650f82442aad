import { identityCommands, USER_ID_MAX } from '@headlesskey/contracts';
import { type CommandClient, connectBus, createCommandClient, createLogger, readCommonConfig } from '@headlesskey/platform';
import cliProgress from 'cli-progress';
import { type AdminCommand, type Output, UsageError } from '../command.js';
import { openWordPress, PREFIX, type WordPressSource } from '../wordpress/source.js';
import { ImportTally } from '../wordpress/summary.js';
import { cliContext, operator } from './users.js';

interface ImportOptions {
  from: string;
  prefix: string;
  dryRun: boolean;
}

/** Users per command: one page read, one batch written by identity in one statement. */
const BATCH = 500;
/** Batches identity writes at once: its store overlaps one's round trips with the other's work. */
const IN_FLIGHT = 2;
/** A batch is written in well under a second; this leaves room on a loaded machine. */
const BATCH_TIMEOUT_MS = 60_000;
/** A batch identity could not answer is sent again: a batch already written answers "unchanged". */
const TRIES = 3;

/**
 * `import wordpress`: reads a WordPress site's users (`<prefix>users`, their `<prefix>capabilities`)
 * in ID order, a page at a time, and sends each page to identity as one `importUsers` batch.
 * A rerun skips what is unchanged, so an interrupted run is continued by running it again.
 */
export const importCommand: AdminCommand = {
  name: 'import',
  usage: 'import wordpress --from mysql://USER:PASS@HOST:3306/DB [--prefix wp_] [--dry-run]',
  summary: "bring a WordPress site's users in: their IDs, roles and passwords",
  async run(args, out) {
    const options = optionsOf(args);
    const source = await openWordPress(options.from, options.prefix);
    try {
      const config = readCommonConfig();
      const nc = await connectBus(config.natsUrl, 'headlesskey-admin', createLogger('admin', 'silent'));
      try {
        await importAll(source, createCommandClient(nc, config.names), options, out);
        return 0;
      } finally {
        await nc.close();
      }
    } finally {
      await source.close();
    }
  },
};

function optionsOf(args: readonly string[]): ImportOptions {
  const [what, ...rest] = args;
  if (what !== 'wordpress')
    throw new UsageError(what === undefined ? 'import from where? only wordpress is known' : `cannot import from ${what}`);
  const options: ImportOptions = { from: '', prefix: 'wp_', dryRun: false };
  for (let i = 0; i < rest.length; i++) {
    const flag = rest[i];
    if (flag === '--dry-run') options.dryRun = true;
    else if (flag === '--from' || flag === '--prefix') {
      const value = rest[++i];
      if (value === undefined) throw new UsageError(`${flag} needs a value`);
      if (flag === '--from') options.from = value;
      else options.prefix = value;
    } else throw new UsageError(`unknown option ${flag}`);
  }
  if (!/^mysql:\/\/.+/.test(options.from)) throw new UsageError('--from takes the WordPress database as mysql://user:pass@host:3306/db');
  if (!PREFIX.test(options.prefix)) throw new UsageError('--prefix is letters, digits and underscores, such as wp_');
  return options;
}

async function importAll(source: WordPressSource, bus: CommandClient, options: ImportOptions, out: Output): Promise<void> {
  const started = performance.now();
  const total = await source.count();
  const tally = new ImportTally();
  const bar = process.stdout.isTTY ? new cliProgress.SingleBar({ stream: process.stdout }, cliProgress.Presets.shades_classic) : undefined;
  bar?.start(total, 0);
  // Pages are read ahead while identity writes the batches before them: at most `IN_FLIGHT`
  // batches and one page are held, whatever the site's size.
  const writing: Promise<void>[] = [];
  try {
    let next = settled(source.page(0, BATCH));
    for (let users = await next; users.length > 0; users = await next) {
      next = settled(source.page(users.at(-1)?.user_id ?? 0, BATCH));
      writing.push(settled(importBatch(bus, users, options, tally).then(() => bar?.update(tally.done))));
      if (writing.length >= IN_FLIGHT) await writing.shift();
    }
    for (const batch of writing.splice(0)) await batch;
  } finally {
    await Promise.allSettled(writing);
    bar?.stop();
  }
  tally.print(out, options.dryRun, (performance.now() - started) / 1000);
}

type Page = Awaited<ReturnType<WordPressSource['page']>>;

async function importBatch(bus: CommandClient, page: Page, options: ImportOptions, tally: ImportTally): Promise<void> {
  const logins = new Map(page.map((u) => [u.user_id, u.user_login]));
  // WordPress IDs are 64-bit; ours are PostgreSQL integers.
  for (const u of page) if (u.user_id > USER_ID_MAX) tally.refuse(u.user_id, u.user_login, 'id_too_large');
  const users = page.filter((u) => u.user_id <= USER_ID_MAX);
  if (users.length === 0) return;
  const payload = { users, dry_run: options.dryRun, actor: { cli: operator() }, context: cliContext() };
  for (let attempt = 1; ; attempt++) {
    const reply = await bus.send(identityCommands.importUsers, payload, BATCH_TIMEOUT_MS);
    if (reply.ok) {
      for (const outcome of reply.data.results) tally.add(outcome, logins.get(outcome.user_id) ?? '');
      return;
    }
    if (reply.error.code !== 'headlesskey_unavailable' || attempt >= TRIES) {
      const first = users[0]?.user_id;
      throw new Error(
        `identity refused the batch from ID ${first}: ${reply.error.code}${reply.error.message ? ` (${reply.error.message})` : ''}; ` +
          `${tally.done} users were done before it, and running the import again continues from there`,
      );
    }
  }
}

/** A read-ahead page whose failure waits for its turn to be reported. */
function settled<T>(promise: Promise<T>): Promise<T> {
  promise.catch(() => undefined);
  return promise;
}
