import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestSystem, type TestSystem } from './support/system.js';
import { validate } from './support/tokens.js';
import { eventually, registerAndLogin } from './support/users.js';

/** Pids of the running tokens replicas, as the supervisor knows them. */
const tokensPids = (system: TestSystem) =>
  system.processes.filter((p) => p.service === 'tokens' && p.exit === undefined).map((p) => p.child.pid as number);

const CLIENTS = 4;
const REQUESTS_EACH = 150;
/**
 * The fault: a replica stops answering (a long pause, a wedged event loop) for this long, taking
 * its share of the commands meanwhile, then is killed. NATS says nothing of the commands it held.
 */
const FROZEN_MS = 300;

describe('a tokens replica killed while it holds requests', () => {
  let system: TestSystem;
  beforeAll(async () => {
    system = await startTestSystem({ env: { HEADLESSKEY_REPLICAS_TOKENS: '2' } });
  });
  afterAll(() => system?.stop());

  it('costs no failed request: validates it had taken are answered by the other replica in time', async () => {
    const { token } = await registerAndLogin(system);
    const [victim] = tokensPids(system) as [number];
    expect(tokensPids(system)).toHaveLength(2);
    const answers: { status: number | string; ms: number }[] = [];
    const client = async () => {
      for (let i = 0; i < REQUESTS_EACH; i++) {
        const started = Date.now();
        const status = await validate(system, token).then(
          (r) => r.status,
          (err: Error) => err.message,
        );
        answers.push({ status, ms: Date.now() - started });
      }
    };
    const clients = Promise.all(Array.from({ length: CLIENTS }, client));
    await eventually(async () => (answers.length >= 50 ? true : undefined), 10_000, 'requests under way');

    process.kill(victim, 'SIGSTOP');
    await new Promise((resolve) => setTimeout(resolve, FROZEN_MS));
    process.kill(victim, 'SIGKILL');
    await clients;

    expect(answers).toHaveLength(CLIENTS * REQUESTS_EACH);
    expect(answers.filter((a) => a.status !== 200)).toEqual([]);
    // Answered, not merely within the gateway's 5 s command timeout.
    expect(Math.max(...answers.map((a) => a.ms))).toBeLessThan(3000);
    await eventually(async () => (tokensPids(system).length === 2 ? true : undefined), 10_000, 'the replica started again');
  });
});
