import type { ChildProcess } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import type { ServiceName, ServiceProcess, Spare } from './service-process.js';
import { SparePool } from './spares.js';

/** A spare that loads when told to, and runs until then. */
function fakeSpare(service: ServiceName) {
  let load!: () => void;
  const loaded = new Promise<void>((resolve) => {
    load = resolve;
  });
  let exit!: () => void;
  const exited = new Promise<{ code: number; signal: null }>((resolve) => {
    exit = () => resolve({ code: 0, signal: null });
  });
  const child = { pid: 1, exitCode: null, signalCode: null, kill: () => exit() } as unknown as ChildProcess;
  const started: number[] = [];
  const spare: Spare = {
    service,
    child,
    exited,
    loaded,
    start: (replica) => {
      started.push(replica);
      return { service, replica, child } as unknown as ServiceProcess;
    },
  };
  return { spare, load, started };
}

describe('spares', () => {
  it('load one at a time, one per replica, and replace a replica even while loading', async () => {
    const spawned: ReturnType<typeof fakeSpare>[] = [];
    const counts = { identity: 2, tokens: 1, audit: 0, webhooks: 0, gateway: 0 };
    const pool = new SparePool(counts, (service) => {
      const fake = fakeSpare(service);
      spawned.push(fake);
      return fake.spare;
    });
    pool.warm(['identity', 'tokens']);
    const settled = () => new Promise((resolve) => setImmediate(resolve));
    await settled();
    expect(spawned.map((s) => s.spare.service)).toEqual(['identity']);
    // Taken before it has loaded: it is sent the replica's environment all the same.
    expect(pool.take('identity', 1, {})?.replica).toBe(1);
    expect(spawned[0]?.started).toEqual([1]);
    // The next waits for it to load.
    await settled();
    expect(spawned).toHaveLength(1);
    spawned[0]?.load();
    await settled();
    expect(spawned.map((s) => s.spare.service)).toEqual(['identity', 'identity']);
    spawned[1]?.load();
    await settled();
    expect(spawned.map((s) => s.spare.service)).toEqual(['identity', 'identity', 'tokens']);
    let loaded = false;
    const all = pool.loaded().then(() => {
      loaded = true;
    });
    await settled();
    expect(loaded).toBe(false);
    spawned[2]?.load();
    await all;
    await pool.stop();
  });
});
