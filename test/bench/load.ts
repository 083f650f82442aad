import { performance } from 'node:perf_hooks';
import { DEFAULT_COMMAND_TIMEOUT_MS } from '@headlesskey/platform';
import autocannon from 'autocannon';

/** The requests one connection loops over; `connection` counts from 0 within a run. */
export type RequestsFor = (connection: number) => autocannon.Request[];

export interface LoadTarget {
  /** For the progress line: `validate`. */
  label: string;
  /** `http://127.0.0.1:port`; each request names its path. */
  origin: string;
  connections: number;
  /** Called once per run: each connection's requests. */
  requests(): RequestsFor;
}

export interface Measurement {
  connections: number;
  /** The measured window: the run's last seconds. */
  seconds: number;
  /** 2xx responses. */
  ok: number;
  /** 2xx responses per second. */
  rps: number;
  /** Milliseconds, over every response in the measured window. */
  p50: number;
  p99: number;
  /** Non-2xx answers: failures anywhere in the run, and the shed logins of the window. */
  non2xx: number;
  /**
   * Of the non-2xx, the logins identity shed under overload (503, reason `overloaded`): answered
   * without running, by design, when more wait than it can check before the command timeout.
   */
  shed: number;
  /** Socket errors and timeouts. */
  socketErrors: number;
  /** Status and start of the body of the first non-2xx answer. */
  firstFailure?: string;
}

const MAX_SETTLE_MS = 15_000;

let current: autocannon.Instance | undefined;
let aborted = false;

/** Stops the run under way and refuses further ones (an interrupted benchmark). */
export function abortLoad(): void {
  aborted = true;
  current?.stop();
}

/** A JSON POST. */
export const jsonPost = (path: string, body: unknown): autocannon.Request => ({
  method: 'POST',
  path,
  headers: { 'content-type': 'application/json' },
  body: JSON.stringify(body),
});

/**
 * Loads the target for the warm-up and the measured seconds in one run, and measures only the
 * answers that arrive in the last `seconds`: the stack is then in its steady state, with as many
 * requests in flight as the connections keep there (50 logins fill identity's queue for seconds
 * before the first answer, which a run measured from a cold start would count as lost time).
 * Latency comes from autocannon's per-response timing (fractions of a millisecond), not its
 * histogram, which keeps whole milliseconds.
 */
export async function measure(target: LoadTarget, seconds: number, warmupSeconds: number): Promise<Measurement> {
  process.stdout.write(`  ${target.label}@${target.connections} \u2026 `);
  const m = await runOnce(target, warmupSeconds, seconds);
  await settle(m);
  const failed = m.non2xx - m.shed + m.socketErrors;
  process.stdout.write(
    `${m.rps.toFixed(0)} req/s, p50 ${m.p50.toFixed(2)} ms, p99 ${m.p99.toFixed(2)} ms${m.shed ? `, ${m.shed} shed` : ''}${failed ? `, ${failed} FAILED (${m.firstFailure})` : ''}\n`,
  );
  return m;
}

async function runOnce(target: LoadTarget, warmupSeconds: number, seconds: number): Promise<Measurement> {
  if (aborted) throw new Error('the benchmark is stopping');
  const requestsFor = target.requests();
  const latencies = new Samples();
  let ok = 0;
  let non2xx = 0;
  let firstFailure: string | undefined;
  let shed = 0;
  let connection = 0;
  const started = performance.now();
  const windowStart = started + warmupSeconds * 1000;
  const windowEnd = windowStart + seconds * 1000;
  const measured = () => {
    const now = performance.now();
    return now >= windowStart && now < windowEnd;
  };
  // A failure counts wherever it happens; a shed login or a success only inside the window.
  const noteFailure = (status: number, body: string) => {
    if (status === 503 && body.includes('"reason":"overloaded"')) {
      if (measured()) shed++;
    } else {
      non2xx++;
      firstFailure ??= `${status} ${body.slice(0, 200)}`;
    }
  };
  const instance = autocannon({
    url: target.origin,
    connections: target.connections,
    duration: warmupSeconds + seconds,
    // The services' own command timeouts decide; the load generator only gives up much later.
    timeout: 30,
    setupClient: (client) => client.setRequests(requestsFor(connection++).map((r) => withFailureNote(r, noteFailure))),
  });
  instance.on('response', (_client, status, _bytes, ms) => {
    if (!measured()) return;
    latencies.add(ms);
    if (status >= 200 && status < 300) ok++;
  });
  current = instance;
  const result = await instance.then((r) => {
    current = undefined;
    return r;
  });
  if (aborted) throw new Error('the benchmark is stopping');
  return {
    connections: target.connections,
    seconds,
    ok,
    rps: ok / seconds,
    p50: latencies.percentile(50),
    p99: latencies.percentile(99),
    non2xx: non2xx + shed,
    shed,
    socketErrors: result.errors,
    ...(firstFailure ? { firstFailure } : {}),
  };
}

/**
 * When a run stops, the requests it had in flight are still being served (50 logins queue for
 * bcrypt for seconds): the next run, or the next setup request, waits until they are done. A run
 * whose answers were quick left little behind; one that queued (answers over a second) may have
 * left work that lasts until the gateway's command timeout, when identity stops doing it.
 */
function settle(m: Measurement): Promise<void> {
  const p99 = Number.isFinite(m.p99) ? m.p99 : MAX_SETTLE_MS;
  const ms = Math.min(MAX_SETTLE_MS, Math.max(500, p99, p99 > 1000 ? DEFAULT_COMMAND_TIMEOUT_MS : 0));
  return new Promise((resolve) => setTimeout(resolve, ms));
}

function withFailureNote(request: autocannon.Request, note: (status: number, body: string) => void): autocannon.Request {
  const onResponse = request.onResponse;
  return {
    ...request,
    onResponse: (status, body, context, headers) => {
      if (status < 200 || status >= 300) note(status, body);
      onResponse?.(status, body, context, headers);
    },
  };
}

/** Response times, growing as they come; percentiles by nearest rank. */
class Samples {
  #values = new Float64Array(1 << 16);
  #count = 0;

  add(value: number): void {
    if (this.#count === this.#values.length) {
      const bigger = new Float64Array(this.#values.length * 2);
      bigger.set(this.#values);
      this.#values = bigger;
    }
    this.#values[this.#count++] = value;
  }

  percentile(p: number): number {
    if (this.#count === 0) return Number.NaN;
    const sorted = this.#values.subarray(0, this.#count).sort();
    return sorted[Math.max(0, Math.ceil((p / 100) * this.#count) - 1)]!;
  }
}
