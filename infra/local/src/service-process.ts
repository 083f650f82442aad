import { type ChildProcess, spawn } from 'node:child_process';
import { join } from 'node:path';
import { exitOf, type ProcessExit, tailOutput } from './child.js';

/** The processes `npm start` runs: `ServiceName` of `@headlesskey/contracts`. */
export type ServiceName = 'identity' | 'tokens' | 'audit' | 'webhooks' | 'gateway';

/** 'pipe' keeps each process's last lines for error messages; 'inherit' shows them as they come. */
export type Stdio = 'inherit' | 'pipe' | 'ignore';

/** One running (or exited) replica of a service. */
export interface ServiceProcess {
  readonly service: ServiceName;
  /** Counted from 0 within its service. */
  readonly replica: number;
  readonly child: ChildProcess;
  readonly exited: Promise<ProcessExit>;
  /** Undefined while the process runs. */
  readonly exit: ProcessExit | undefined;
  /** Its last lines of output; empty unless stdio is 'pipe'. */
  output(): string;
}

const GUARD = new URL('./service-guard.js', import.meta.url).href;

export function serviceEntry(root: string, service: ServiceName): string {
  return join(root, 'services', service, 'dist', 'main.js');
}

export function spawnService(
  root: string,
  service: ServiceName,
  replica: number,
  env: Record<string, string>,
  stdio: Stdio,
): ServiceProcess {
  const child = spawn(process.execPath, ['--import', GUARD, serviceEntry(root, service)], {
    cwd: root,
    env,
    // Never the terminal's stdin: a background process group that reads it gets stopped. The IPC
    // channel closes when the supervisor dies, however it dies, and the guard then stops the service.
    stdio: stdio === 'ignore' ? ['ignore', 'ignore', 'ignore', 'ipc'] : ['ignore', stdio, stdio, 'ipc'],
    // A process group of its own, so a terminal's Ctrl-C reaches only the supervisor, which then
    // sends one SIGTERM. A second signal makes a service give up draining and exit 1.
    detached: true,
  });
  const tail = stdio === 'pipe' ? tailOutput(child) : undefined;
  const exited = exitOf(child);
  let exit: ProcessExit | undefined;
  void exited.then((result) => {
    exit = result;
  });
  return {
    service,
    replica,
    child,
    exited,
    get exit() {
      return exit;
    },
    output: () => tail?.text() ?? '',
  };
}
