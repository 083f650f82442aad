import type { ChildProcess } from 'node:child_process';
import { setTimeout as sleep } from 'node:timers/promises';
import { describeExit, exitOf, type ProcessExit, tailOutput, terminate } from './child.js';

/** A backend server this process started, and how to stop it. */
export interface StartedServer {
  name: string;
  url: string;
  stop(): Promise<void>;
}

export interface Startup {
  name: string;
  child: ChildProcess;
  url: string;
  ready(): boolean | Promise<boolean>;
  timeoutMs: number;
  /** How long stopping may take before SIGKILL. */
  graceMs: number;
}

/** Waits until a freshly spawned server is ready, failing with its last output when it exits first or takes too long. */
export async function whenReady({ name, child, url, ready, timeoutMs, graceMs }: Startup): Promise<StartedServer> {
  const tail = tailOutput(child);
  const exited = exitOf(child);
  let exit: ProcessExit | undefined;
  void exited.then((result) => {
    exit = result;
  });
  const deadline = Date.now() + timeoutMs;
  while (!(await ready())) {
    if (exit || Date.now() > deadline) {
      await terminate(child, exited, graceMs);
      const why = exit ? describeExit(exit) : `was not ready within ${timeoutMs / 1000} s`;
      throw new Error(`${name} ${why}:\n${tail.text()}`);
    }
    await sleep(100);
  }
  return {
    name,
    url,
    stop: async () => {
      await terminate(child, exited, graceMs);
    },
  };
}
