import { setTimeout as sleep } from 'node:timers/promises';
import { describeExit } from './child.js';
import type { ServiceProcess } from './service-process.js';

const POLL_MS = 200;

/**
 * Polls `GET <url>/readyz` until it answers 200. Fails at once when one of `watched` exits
 * (with its last output), or after `timeoutMs` with the last answer seen.
 */
export async function waitUntilReady(url: string, watched: readonly ServiceProcess[], timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let last = 'no answer yet';
  while (Date.now() < deadline) {
    const dead = watched.find((p) => p.exit !== undefined);
    if (dead?.exit) {
      const output = dead.output();
      throw new Error(`${dead.service} ${describeExit(dead.exit)} before the system was ready${output ? `:\n${output}` : ''}`);
    }
    try {
      const res = await fetch(`${url}/readyz`, { signal: AbortSignal.timeout(2_000) });
      const body = await res.text();
      if (res.status === 200) return;
      last = `${res.status} ${body.slice(0, 500)}`;
    } catch (err) {
      last = String((err as { cause?: { code?: string } }).cause?.code ?? err);
    }
    await sleep(POLL_MS);
  }
  throw new Error(`${url}/readyz did not answer 200 within ${Math.round(timeoutMs / 1000)} s (last: ${last})`);
}
