import { randomUUID } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import type { ServiceName } from '@headlesskey/local';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pids, replaced } from './support/replicas.js';
import { startTestSystem, type TestSystem } from './support/system.js';
import { type Issued, TOKENS_ENV, validate } from './support/tokens.js';
import { eventually, registerAndLogin } from './support/users.js';

const SERVICES: ServiceName[] = ['identity', 'tokens', 'audit', 'webhooks', 'gateway'];

describe('a supervised system', () => {
  let system: TestSystem;
  beforeAll(async () => {
    system = await startTestSystem({ env: TOKENS_ENV, services: { tokens: 2 } });
  });
  afterAll(() => system?.stop());

  it('starts a service killed from outside again, and leaves the others running', async () => {
    const before = Object.fromEntries(SERVICES.map((service) => [service, pids(system, service)]));
    const victims = pids(system, 'identity');
    for (const pid of victims) process.kill(pid, 'SIGKILL');

    await replaced(system, 'identity', victims);
    const login = await eventually(
      async () => {
        const reply = await system.post('/register', {
          username: `back_${Date.now()}`,
          email: `back_${Date.now()}@example.com`,
          password: 'correct horse battery staple',
        });
        return reply.status === 201 ? reply : undefined;
      },
      10_000,
      'identity to answer again',
    );
    expect(login.status).toBe(201);
    expect(system.restarts('identity')).toBe(1);
    for (const service of SERVICES.filter((s) => s !== 'identity')) expect(pids(system, service)).toEqual(before[service]);
  });

  /** Four clients validating one token 100 times each, each answer with when its request started. */
  const validations = async (whileRunning: () => Promise<void>) => {
    const { token } = await registerAndLogin(system);
    const answers: { startedAt: number; status: number | string }[] = [];
    const client = async () => {
      for (let i = 0; i < 100; i++) {
        const startedAt = Date.now();
        const status = await validate(system, token).then(
          (r) => r.status,
          (err: Error) => err.message,
        );
        answers.push({ startedAt, status });
      }
    };
    const clients = Promise.all(Array.from({ length: 4 }, client));
    await eventually(async () => (answers.length >= 60 ? true : undefined), 10_000, 'requests under way');
    await whileRunning();
    await clients;
    expect(answers).toHaveLength(400);
    return answers;
  };

  it('fails no request while one of two tokens replicas is stopped, and starts it again', async () => {
    const [victim] = pids(system, 'tokens') as [number];
    const answers = await validations(async () => {
      process.kill(victim, 'SIGTERM');
    });
    expect(answers.filter((a) => a.status !== 200)).toEqual([]);
    await replaced(system, 'tokens', [victim], 2, 30_000, { ready: true });
  });

  it('sends no request to a tokens replica once it is killed, and starts it again', async () => {
    const [victim] = pids(system, 'tokens') as [number];
    let goneAt = 0;
    const answers = await validations(async () => {
      process.kill(victim, 'SIGKILL');
      goneAt = await eventually(async () => (system.processes.find((p) => p.child.pid === victim)?.exit ? Date.now() : undefined));
    });
    // Requests the killed replica had taken are lost with it; every later one is answered.
    expect(answers.filter((a) => a.startedAt >= goneAt && a.status !== 200)).toEqual([]);
    expect(answers.filter((a) => a.startedAt >= goneAt).length).toBeGreaterThan(0);
    await replaced(system, 'tokens', [victim], 2, 30_000, { ready: true });
  });

  it('answers every write sent with a key while a tokens replica holding some stops answering, then dies', async () => {
    const [victim] = pids(system, 'tokens') as [number];
    const statuses: (number | string)[] = [];
    let running = true;
    const client = async () => {
      let { token } = await registerAndLogin(system);
      while (running) {
        const reply = await system
          .post<Issued>('/token/refresh', { token }, { 'idempotency-key': randomUUID() })
          .catch((err: Error) => err);
        statuses.push(reply instanceof Error ? reply.message : reply.status);
        if (!(reply instanceof Error) && reply.status === 200) token = reply.body.token;
      }
    };
    const clients = Promise.all(Array.from({ length: 4 }, client));
    await eventually(async () => (statuses.length >= 20 ? true : undefined), 10_000, 'refreshes under way');
    // Stopped, the replica still takes its share of the commands and answers none; then it dies.
    // A command it took is sent again to the replica that answered last, which it is not.
    process.kill(victim, 'SIGSTOP');
    const taken = statuses.length;
    await eventually(async () => (statuses.length >= taken + 12 ? true : undefined), 15_000, 'refreshes past the stopped replica');
    process.kill(victim, 'SIGKILL');
    const killedAt = statuses.length;
    await eventually(async () => (statuses.length >= killedAt + 12 ? true : undefined), 15_000, 'refreshes after the kill');
    running = false;
    await clients;
    expect(statuses.filter((status) => status !== 200)).toEqual([]);
    await replaced(system, 'tokens', [victim], 2, 30_000, { ready: true });
  });

  it('gives up on a crash loop: it stops everything and says why in one line', async () => {
    let gaveUp: string | undefined;
    void system.gaveUp.then((reason) => {
      gaveUp = reason;
    });
    for (let crash = 1; crash <= 5 && gaveUp === undefined; crash++) {
      const victims = pids(system, 'audit');
      for (const pid of victims) process.kill(pid, 'SIGKILL');
      if (crash < 5) await replaced(system, 'audit', victims);
    }
    const reason = await system.gaveUp;
    expect(reason).toMatch(/^audit was killed by SIGKILL: 5 crashes within 60 s; stopping HeadlessKey$/);
    await eventually(async () => (system.processes.every((p) => p.exit !== undefined) ? true : undefined), 15_000, 'every process to exit');
  });
});

/** Processes of the instance waiting as spares, by their environment. */
function sparesOf(system: TestSystem, service: ServiceName): number[] {
  return readdirSync('/proc')
    .filter((entry) => /^\d+$/.test(entry))
    .filter((pid) => {
      try {
        const environ = readFileSync(`/proc/${pid}/environ`, 'utf8').split('\0');
        const cmdline = readFileSync(`/proc/${pid}/cmdline`, 'utf8');
        return (
          environ.includes(`HEADLESSKEY_INSTANCE=${system.instance}`) &&
          environ.includes('HEADLESSKEY_SPARE=1') &&
          cmdline.includes(`services/${service}/dist/main.js`)
        );
      } catch {
        return false; // gone meanwhile, or not ours to read
      }
    })
    .map(Number);
}

describe('a supervised system with spares', () => {
  let system: TestSystem;
  beforeAll(async () => {
    system = await startTestSystem({ env: { ...TOKENS_ENV, HEADLESSKEY_SPARES: '1' }, services: { identity: 2 } });
  });
  afterAll(() => system?.stop());

  it('replaces replicas killed together with spares already loaded, readies others, and stops them all', async () => {
    const spares = await eventually(async () => {
      const found = sparesOf(system, 'identity');
      return found.length === 2 ? found.sort() : undefined;
    });
    const victims = pids(system, 'identity');
    for (const pid of victims) process.kill(pid, 'SIGKILL');

    expect((await replaced(system, 'identity', victims, 2, 30_000, { ready: true })).sort()).toEqual(spares);
    expect((await registerAndLogin(system)).token).toBeTruthy();
    const next = await eventually(
      async () => {
        const found = sparesOf(system, 'identity').filter((pid) => !spares.includes(pid));
        return found.length === 2 ? found : undefined;
      },
      30_000,
      'two more spares',
    );
    await system.stop();
    expect(sparesOf(system, 'identity').filter((pid) => next.includes(pid))).toEqual([]);
  });
});

describe('a service that cannot start', () => {
  it('fails the start after a few tries, with its reason', async () => {
    const started = startTestSystem({
      serviceEnv: { identity: { LOG_LEVEL: 'loud' } },
      restartPolicy: { maxCrashes: 3, windowMs: 60_000, firstDelayMs: 100, maxDelayMs: 200 },
    });
    await expect(started).rejects.toThrow(/^identity exited with code 1: 3 crashes within 60 s; stopping HeadlessKey:\n[\s\S]*LOG_LEVEL/);
  });
});
