import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { Logger } from '../logging/logger.js';
import { type BackgroundLoop, type StepOutcome, startBackgroundLoop } from './background-loop.js';

const INTERVAL = 1000;

/** A step whose outcomes the test scripts; it counts its runs, and can be held open. */
function scripted(outcomes: (StepOutcome | Error)[] = []) {
  const state = { runs: 0, hold: undefined as Promise<void> | undefined };
  const step = async (): Promise<StepOutcome> => {
    state.runs += 1;
    if (state.hold) await state.hold;
    const next = outcomes.shift();
    if (next instanceof Error) throw next;
    return next;
  };
  return { state, step };
}

function fakeLogger() {
  return { warn: vi.fn() } as unknown as Logger & { warn: ReturnType<typeof vi.fn> };
}

/** Lets the loop's promises settle without moving the clock. */
const settle = () => vi.advanceTimersByTimeAsync(0);

describe('background loop', () => {
  let running: BackgroundLoop | undefined;
  beforeEach(() => {
    vi.useFakeTimers();
  });
  afterEach(async () => {
    await running?.stop();
    running = undefined;
    vi.useRealTimers();
  });

  const start = (step: () => Promise<StepOutcome>, extra: { startIdle?: boolean; maxBackoffMs?: number } = {}) => {
    const logger = fakeLogger();
    running = startBackgroundLoop({ name: 'test loop', logger, intervalMs: INTERVAL, step, ...extra });
    return { loop: running, logger };
  };

  it('runs a step at once, then one per interval', async () => {
    const { state, step } = scripted();
    start(step);
    await settle();
    expect(state.runs).toBe(1);
    await vi.advanceTimersByTimeAsync(INTERVAL - 1);
    expect(state.runs).toBe(1);
    await vi.advanceTimersByTimeAsync(1);
    expect(state.runs).toBe(2);
  });

  it('runs the next step at once while a step says more work is waiting', async () => {
    const { state, step } = scripted(['more', 'more', undefined]);
    start(step);
    await settle();
    expect(state.runs).toBe(3);
    await vi.advanceTimersByTimeAsync(INTERVAL - 1);
    expect(state.runs).toBe(3);
  });

  it('sleeps as long as the step asks, never longer than the interval', async () => {
    const { state, step } = scripted([200, 5 * INTERVAL]);
    start(step);
    await settle();
    await vi.advanceTimersByTimeAsync(199);
    expect(state.runs).toBe(1);
    await vi.advanceTimersByTimeAsync(1);
    expect(state.runs).toBe(2);
    await vi.advanceTimersByTimeAsync(INTERVAL);
    expect(state.runs).toBe(3);
  });

  it('cuts its sleep short when woken', async () => {
    const { state, step } = scripted();
    const { loop } = start(step);
    await settle();
    await vi.advanceTimersByTimeAsync(10);
    loop.wake();
    await settle();
    expect(state.runs).toBe(2);
  });

  it('keeps a wake-up that comes during a step for the sleep after it', async () => {
    let release = () => {};
    const { state, step } = scripted();
    state.hold = new Promise<void>((resolve) => {
      release = resolve;
    });
    const { loop } = start(step);
    await settle();
    loop.wake();
    state.hold = undefined;
    release();
    await settle();
    expect(state.runs).toBe(2);
    await vi.advanceTimersByTimeAsync(INTERVAL - 1);
    expect(state.runs).toBe(2);
  });

  it('stops after the step in hand ends, leaving no timer', async () => {
    let release = () => {};
    const { state, step } = scripted();
    state.hold = new Promise<void>((resolve) => {
      release = resolve;
    });
    const { loop } = start(step);
    await settle();
    let stopped = false;
    const stopping = loop.stop().then(() => {
      stopped = true;
    });
    expect(loop.stopping).toBe(true);
    await settle();
    expect(stopped).toBe(false);
    release();
    await stopping;
    expect(stopped).toBe(true);
    expect(vi.getTimerCount()).toBe(0);
    loop.wake();
    await vi.advanceTimersByTimeAsync(10 * INTERVAL);
    expect(state.runs).toBe(1);
  });

  it('stops at once from its sleep', async () => {
    const { state, step } = scripted();
    const { loop } = start(step);
    await settle();
    await loop.stop();
    expect(vi.getTimerCount()).toBe(0);
    expect(state.runs).toBe(1);
  });

  it('logs a failed step and backs off, doubling up to its limit, until a step succeeds', async () => {
    const boom = new Error('boom');
    const { state, step } = scripted([boom, boom, boom, undefined]);
    const { logger } = start(step, { maxBackoffMs: 3 * INTERVAL });
    await settle();
    expect(logger.warn).toHaveBeenCalledTimes(1);
    expect(logger.warn.mock.calls[0]?.[0]).toMatchObject({ err: boom, retryInMs: INTERVAL });
    expect(logger.warn.mock.calls[0]?.[1]).toBe('test loop failed; will try again');
    await vi.advanceTimersByTimeAsync(INTERVAL);
    expect(state.runs).toBe(2);
    expect(logger.warn.mock.calls[1]?.[0]).toMatchObject({ retryInMs: 2 * INTERVAL });
    await vi.advanceTimersByTimeAsync(2 * INTERVAL);
    expect(state.runs).toBe(3);
    expect(logger.warn.mock.calls[2]?.[0]).toMatchObject({ retryInMs: 3 * INTERVAL });
    await vi.advanceTimersByTimeAsync(3 * INTERVAL - 1);
    expect(state.runs).toBe(3);
    await vi.advanceTimersByTimeAsync(1);
    expect(state.runs).toBe(4);
    // Success: back to one interval.
    await vi.advanceTimersByTimeAsync(INTERVAL);
    expect(state.runs).toBe(5);
    expect(logger.warn).toHaveBeenCalledTimes(3);
  });

  it('waits one interval before its first step when it starts idle', async () => {
    const { state, step } = scripted();
    start(step, { startIdle: true });
    await vi.advanceTimersByTimeAsync(INTERVAL - 1);
    expect(state.runs).toBe(0);
    await vi.advanceTimersByTimeAsync(1);
    expect(state.runs).toBe(1);
  });

  it('does not log the failure of a step cut short by stop()', async () => {
    let fail = (_err: Error) => {};
    const step = () =>
      new Promise<StepOutcome>((_resolve, reject) => {
        fail = reject;
      });
    const { loop, logger } = start(step);
    await settle();
    const stopped = loop.stop();
    fail(new Error('connection closed'));
    await stopped;
    expect(logger.warn).not.toHaveBeenCalled();
  });
});
