import { describe, expect, it } from 'vitest';
import { recordMetrics, sampleValue } from '../../../test/support/prometheus.js';
import { observeRestarts } from './supervisor-metrics.js';

describe('the supervisor’s metrics', () => {
  it('report each service’s restarts as a counter by service', async () => {
    const collect = recordMetrics();
    const counts: Record<string, number> = { identity: 2, webhooks: 1 };
    const stop = observeRestarts((service) => counts[service] ?? 0);
    const samples = await collect();
    expect(sampleValue(samples, 'headlesskey_supervisor_restarts_total', { service: 'identity' })).toBe(2);
    expect(sampleValue(samples, 'headlesskey_supervisor_restarts_total', { service: 'webhooks' })).toBe(1);
    expect(sampleValue(samples, 'headlesskey_supervisor_restarts_total', { service: 'gateway' })).toBe(0);
    stop();
  });
});
