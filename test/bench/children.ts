import { type ChildProcess, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const running = new Set<ChildProcess>();
let closed = false;
// Whatever way the benchmark ends, no baseline process outlives it.
process.on('exit', () => {
  for (const child of running) child.kill('SIGKILL');
});

export interface Child<M> {
  /** The first message the child sends over IPC. */
  readonly message: Promise<M>;
  /** SIGTERM, then SIGKILL after 5 s; resolves once it exited. */
  stop(): Promise<void>;
}

/**
 * Runs a file of this folder as its own Node process (through tsx, like the benchmark), so a
 * baseline competes with the load generator as the services do. It talks back over IPC.
 */
export function startChild<M>(file: string, env: Record<string, string> = {}): Child<M> {
  if (closed) throw new Error('the benchmark is stopping');
  const child = spawn(process.execPath, [...process.execArgv, fileURLToPath(new URL(file, import.meta.url))], {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  running.add(child);
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  void exited.then(() => running.delete(child));
  const message = new Promise<M>((resolve, reject) => {
    child.once('message', (m) => resolve(m as M));
    child.once('error', reject);
    child.once('exit', (code, signal) => reject(new Error(`${file} exited (${signal ?? code}) before it reported`)));
  });
  // A rejection nobody awaits yet must not end the benchmark on its own.
  message.catch(() => undefined);
  return {
    message,
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
      await exited;
      clearTimeout(timer);
    },
  };
}

/** Stops every child still running and starts no more (a failed or interrupted run). */
export async function stopAllChildren(): Promise<void> {
  closed = true;
  await Promise.all(
    [...running].map(
      (child) =>
        new Promise<void>((resolve) => {
          if (child.exitCode !== null || child.signalCode !== null) return resolve();
          child.once('exit', () => resolve());
          child.kill('SIGKILL');
        }),
    ),
  );
}

/** In a child: exit when the benchmark goes away, whatever killed it. */
export function exitWithParent(): void {
  process.on('disconnect', () => process.exit(0));
  process.on('SIGTERM', () => process.exit(0));
}
