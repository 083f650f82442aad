import { INSTANCE_PATTERN, names as namesOf } from '@headlesskey/contracts';
import { dropInstance, type InstanceInventory, inventoryInstance, readCommonConfig } from '@headlesskey/platform';
import { type AdminCommand, UsageError } from '../command.js';

/**
 * Removes an instance's databases, event stream (with its consumers) and KV buckets from the
 * servers at `DATABASE_URL` and `NATS_URL`. Without `--yes` it only lists them. Stop the
 * instance's processes first: a database is dropped with its connections closed.
 */
export const dropInstanceCommand: AdminCommand = {
  name: 'drop-instance',
  usage: 'drop-instance NAME [--yes]',
  summary: "remove an instance's databases, stream, consumers and KV buckets",
  async run(args, out) {
    const { instance, yes } = parseArgs(args);
    const config = readCommonConfig({ ...process.env, HEADLESSKEY_INSTANCE: instance });
    const backends = { databaseUrl: config.databaseUrl, natsUrl: config.natsUrl };
    const found = await inventoryInstance(namesOf(config.instance), backends);
    const lines = describe(found);
    if (lines.length === 0) {
      out.say(`instance ${instance}: nothing to remove`);
      return 0;
    }
    out.say(`instance ${instance}${yes ? ': removing' : ' has'}`);
    for (const line of lines) out.say(`  ${line}`);
    if (!yes) {
      out.warn(`refusing to remove them without --yes: npm run admin -- drop-instance ${instance} --yes`);
      return 1;
    }
    await dropInstance(config.names, backends);
    out.say(`instance ${instance}: removed`);
    return 0;
  },
};

export function parseArgs(args: readonly string[]): { instance: string; yes: boolean } {
  const yes = args.includes('--yes');
  const rest = args.filter((arg) => arg !== '--yes');
  const unknown = rest.find((arg) => arg.startsWith('-'));
  if (unknown) throw new UsageError(`unknown option ${unknown}`);
  const [instance, ...extra] = rest;
  if (instance === undefined) throw new UsageError('which instance? give its name');
  if (extra.length > 0) throw new UsageError(`one instance at a time, got ${rest.join(' ')}`);
  if (!INSTANCE_PATTERN.test(instance)) {
    throw new UsageError(`"${instance}" is no instance name: lower-case letters, digits and _, starting with a letter, at most 31`);
  }
  return { instance, yes };
}

function describe(found: InstanceInventory): string[] {
  return [
    ...found.databases.map((name) => `database ${name}`),
    ...(found.stream ? [`stream ${found.stream.name}`, ...found.stream.consumers.map((name) => `consumer ${name}`)] : []),
    ...found.buckets.map((name) => `KV bucket ${name}`),
  ];
}
