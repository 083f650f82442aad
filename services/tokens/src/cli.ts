/**
 * Operator commands for a running instance, sent over the bus like any other command:
 *
 *   npm run rotate-key -w @headlesskey/tokens     (or: node services/tokens/dist/cli.js rotate-key)
 *
 * Reads HEADLESSKEY_INSTANCE and NATS_URL as the services do. Prints the reply as JSON and exits
 * 0, or prints the error code and exits 1.
 */
import { randomUUID } from 'node:crypto';
import { tokensCommands } from '@headlesskey/contracts';
import { connectBus, createCommandClient, createLogger, readCommonConfig } from '@headlesskey/platform';

const USAGE = 'usage: headlesskey-tokens rotate-key';
/** Generating an RSA key may take a moment on a busy machine. */
const COMMAND_TIMEOUT_MS = 30_000;
const CONNECT_TIMEOUT_MS = 10_000;

function fail(message: string): never {
  process.stderr.write(`${message}\n`);
  process.exit(1);
}

const [command, ...rest] = process.argv.slice(2);
if (command !== 'rotate-key' || rest.length > 0) fail(USAGE);

let config: ReturnType<typeof readCommonConfig>;
try {
  config = readCommonConfig();
} catch (err) {
  fail(`rotate-key: ${(err as Error).message}`);
}
// The bus would wait for NATS forever: an operator gets an answer instead.
const unreachable = setTimeout(() => fail(`rotate-key: no NATS server answered at ${config.natsUrl}`), CONNECT_TIMEOUT_MS);
const nc = await connectBus(config.natsUrl, 'headlesskey-tokens-cli', createLogger('tokens-cli', 'error'));
clearTimeout(unreachable);
try {
  const bus = createCommandClient(nc, config.names, COMMAND_TIMEOUT_MS);
  const context = { ip: '127.0.0.1', userAgent: 'headlesskey-cli', requestId: randomUUID() };
  const reply = await bus.send(tokensCommands.rotateKey, { context });
  if (!reply.ok) fail(`rotate-key: ${reply.error.code}${reply.error.message ? `: ${reply.error.message}` : ''}`);
  process.stdout.write(`${JSON.stringify(reply.data)}\n`);
} finally {
  await nc.close();
}
