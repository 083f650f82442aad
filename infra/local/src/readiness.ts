import { setTimeout as sleep } from 'node:timers/promises';
import { RUN_TOKEN_HEADER } from './run-token.js';

const POLL_MS = 200;

export interface ReadyWait {
  /** Gateway origin. */
  url: string;
  /** What our own gateway puts in the run-token header; any other answer is not ours. */
  runToken: string;
  timeoutMs: number;
  /** Why waiting is pointless now (the supervisor gave up), else undefined. */
  failure(): string | undefined;
}

/**
 * Polls `GET <url>/readyz` until our own gateway answers 200. Fails at once when `failure()`
 * says so, or after `timeoutMs` with the last answer seen.
 */
export async function waitUntilReady({ url, runToken, timeoutMs, failure }: ReadyWait): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let last = 'no answer yet';
  while (Date.now() < deadline) {
    const failed = failure();
    if (failed !== undefined) throw new Error(failed);
    try {
      const res = await fetch(`${url}/readyz`, { signal: AbortSignal.timeout(2_000) });
      const body = await res.text();
      const ours = res.headers.get(RUN_TOKEN_HEADER) === runToken;
      if (res.status === 200 && ours) return;
      last = ours ? `${res.status} ${body.slice(0, 500)}` : 'an answer from a process this run did not start';
    } catch (err) {
      last = String((err as { cause?: { code?: string } }).cause?.code ?? err);
    }
    await sleep(POLL_MS);
  }
  throw new Error(`${url}/readyz did not answer 200 within ${Math.round(timeoutMs / 1000)} s (last: ${last})`);
}
