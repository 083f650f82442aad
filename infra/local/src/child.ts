import type { ChildProcess } from 'node:child_process';
import { OutputTail } from './output-tail.js';

export interface ProcessExit {
  /** Null when a signal ended the process. */
  code: number | null;
  signal: NodeJS.Signals | null;
  /** Set when the process could not be started. */
  error?: string;
}

/**
 * Resolves once the child is gone. Listens from the start so no exit is missed, and on 'close'
 * rather than 'exit': by then its output has been read to the end, and a failed spawn (which
 * emits 'error' and no 'exit') ends there too.
 */
export function exitOf(child: ChildProcess): Promise<ProcessExit> {
  let error: string | undefined;
  child.once('error', (err) => {
    error = err.message;
  });
  return new Promise((resolve) => {
    child.once('close', (code, signal) => resolve(error === undefined ? { code, signal } : { code, signal, error }));
  });
}

export function isRunning(child: ChildProcess): boolean {
  return child.pid !== undefined && child.exitCode === null && child.signalCode === null;
}

/** SIGTERM, then SIGKILL when the child is still there after `graceMs`. */
export async function terminate(child: ChildProcess, exited: Promise<ProcessExit>, graceMs: number): Promise<ProcessExit> {
  if (!isRunning(child)) return exited;
  child.kill('SIGTERM');
  // A child paused with SIGSTOP (a fault test) handles the SIGTERM only once resumed.
  child.kill('SIGCONT');
  const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
  try {
    return await exited;
  } finally {
    clearTimeout(timer);
  }
}

/**
 * Collects what a piped child writes. Reading never stops: a child whose pipe fills up blocks on
 * its next log line.
 */
export function tailOutput(child: ChildProcess, tail = new OutputTail()): OutputTail {
  for (const stream of [child.stdout, child.stderr]) {
    stream?.setEncoding('utf8').on('data', (chunk: string) => tail.write(chunk));
  }
  return tail;
}

export function describeExit({ code, signal, error }: ProcessExit): string {
  if (error !== undefined) return `could not be started (${error})`;
  return signal ? `was killed by ${signal}` : `exited with code ${code}`;
}
