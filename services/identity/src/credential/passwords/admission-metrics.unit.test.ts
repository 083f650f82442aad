import { describe, expect, it } from 'vitest';
import { recordMetrics, sampleValue } from '../../../../../test/support/prometheus.js';
import { PasswordWork } from './admission.js';

const collect = recordMetrics();
const tick = () => new Promise((resolve) => setImmediate(resolve));

describe('PasswordWork’s metrics', () => {
  it('show the checks waiting for a slot, and count each one refused for load', async () => {
    let now = 0;
    const work = new PasswordWork(1, () => now);
    const ends: (() => void)[] = [];
    const job = (deadline?: number) => work.run(deadline, () => new Promise<void>((end) => ends.push(end)));
    const first = job();
    now += 200;
    ends.shift()?.(); // one check takes 200 ms
    await first;

    const running = job();
    const inTime = job(now + 1_000);
    const tooLate = job(now + 500); // its turn comes at 400: too late to end by 500
    const refused = expect(tooLate).rejects.toMatchObject({ code: 'headlesskey_unavailable' });
    await tick();
    expect(sampleValue(await collect(), 'headlesskey_identity_password_checks_queued')).toBe(2);

    now += 200;
    ends.shift()?.();
    await running;
    await tick();
    now += 200;
    ends.shift()?.();
    await inTime;
    await refused;
    const samples = await collect();
    expect(sampleValue(samples, 'headlesskey_identity_password_checks_queued')).toBe(0);
    expect(sampleValue(samples, 'headlesskey_identity_password_checks_shed_total')).toBe(1);
  });
});
