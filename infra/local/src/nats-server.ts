import { spawn } from 'node:child_process';
import { accessSync, constants } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { delimiter, join } from 'node:path';
import { answers, freePort } from './ports.js';
import { type StartedServer, whenReady } from './started-server.js';

/** A missing program the user has to install; its message is the whole advice, one line. */
export class MissingProgramError extends Error {
  override readonly name = 'MissingProgramError';
}

/** `nats-server` from PATH with JetStream kept in `storeDir`, on a free loopback port. */
export async function startNatsServer(storeDir: string): Promise<StartedServer> {
  const program = findOnPath('nats-server');
  if (!program) {
    throw new MissingProgramError(
      'nats-server is not on PATH: install it (apt-get install nats-server) or set NATS_URL to a NATS server with JetStream',
    );
  }
  await mkdir(storeDir, { recursive: true });
  const port = await freePort();
  const child = spawn(program, ['-js', '-sd', storeDir, '-a', '127.0.0.1', '-p', String(port)], {
    stdio: ['ignore', 'pipe', 'pipe'],
    // Out of the terminal's process group: it must outlive a Ctrl-C until the services have drained.
    detached: true,
  });
  const url = `nats://127.0.0.1:${port}`;
  return whenReady({ name: 'nats-server', child, url, ready: () => answers(url), timeoutMs: 10_000, graceMs: 10_000 });
}

export function findOnPath(program: string, path = process.env.PATH ?? ''): string | undefined {
  for (const dir of path.split(delimiter).filter(Boolean)) {
    const candidate = join(dir, program);
    try {
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {
      // Not in this directory.
    }
  }
  return undefined;
}
