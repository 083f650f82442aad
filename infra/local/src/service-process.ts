import { type ChildProcess, spawn } from 'node:child_process';
import { join } from 'node:path';
import { exitOf, type ProcessExit, tailOutput } from './child.js';
import { SPARE_ENV, type SpareStart } from './spare-protocol.js';

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
  return asReplica(launch(root, service, env, stdio), service, replica);
}

/** A process of a service that has loaded its modules and waits to be made a replica. */
export interface Spare {
  readonly service: ServiceName;
  readonly child: ChildProcess;
  readonly exited: Promise<ProcessExit>;
  /** Resolves once it has loaded its modules, or has exited. */
  readonly loaded: Promise<void>;
  /** Hands it the replica's environment: from now on it runs as that replica. */
  start(replica: number, env: Record<string, string>): ServiceProcess;
}

export function spawnSpare(root: string, service: ServiceName, env: Record<string, string>, stdio: Stdio): Spare {
  const launched = launch(root, service, { ...env, [SPARE_ENV]: '1' }, stdio);
  const loaded = new Promise<void>((resolve) => {
    launched.child.once('message', () => resolve());
    void launched.exited.then(() => resolve());
  });
  return {
    service,
    child: launched.child,
    exited: launched.exited,
    loaded,
    start(replica, replicaEnv) {
      launched.child.send({ env: replicaEnv } satisfies SpareStart);
      return asReplica(launched, service, replica);
    },
  };
}

interface Launched {
  child: ChildProcess;
  exited: Promise<ProcessExit>;
  output(): string;
}

function launch(root: string, service: ServiceName, env: Record<string, string>, stdio: Stdio): Launched {
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
  return { child, exited: exitOf(child), output: () => tail?.text() ?? '' };
}

function asReplica({ child, exited, output }: Launched, service: ServiceName, replica: number): ServiceProcess {
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
    output,
  };
}
