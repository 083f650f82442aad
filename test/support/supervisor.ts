import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const MAIN = fileURLToPath(new URL('../../infra/local/dist/main.js', import.meta.url));

export interface Started {
  child: ChildProcess;
  exited: Promise<[number | null, NodeJS.Signals | null]>;
  /** Resolves with true once it printed that it runs, false when its output ended first. */
  running: Promise<boolean>;
  stderr(): string;
}

/** `npm start` (or only its last step, `node infra/local/dist/main.js`) against the test's backends. */
export function startSupervisor(how: 'npm' | 'node', env: Record<string, string>): Started {
  const [command, args] = how === 'npm' ? ['npm', ['start', '--silent']] : [process.execPath, [MAIN]];
  const child = spawn(command as string, args as string[], {
    cwd: ROOT,
    env: { ...process.env, HEADLESSKEY_BCRYPT_COST: '4', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr?.setEncoding('utf8').on('data', (chunk: string) => {
    stderr += chunk;
  });
  // Reads on after the match: the services share this pipe and would block on a full one.
  const running = new Promise<boolean>((resolve) => {
    const lines = createInterface({ input: child.stdout as NodeJS.ReadableStream });
    lines.on('line', (line) => line.startsWith('HeadlessKey is running at ') && resolve(true));
    lines.on('close', () => resolve(false));
  });
  return { child, exited: once(child, 'exit') as Started['exited'], running, stderr: () => stderr };
}
