import { ConfigError } from '@headlesskey/platform';
import { describe, expect, it } from 'vitest';
import { metricsBase, metricsEnv, metricsPort } from './metrics-ports.js';

describe('metrics ports of npm start', () => {
  it('give each replica a port of its own above the supervisor’s, whatever the replica counts', () => {
    expect(metricsPort(9400, 'identity', 0)).toBe(9416);
    expect(metricsPort(9400, 'identity', 15)).toBe(9431);
    expect(metricsPort(9400, 'tokens', 0)).toBe(9432);
    expect(metricsPort(9400, 'audit', 1)).toBe(9449);
    expect(metricsPort(9400, 'webhooks', 0)).toBe(9464);
    expect(metricsPort(9400, 'gateway', 0)).toBe(9480);
    expect(metricsEnv(9400, 'tokens', 2)).toEqual({ HEADLESSKEY_METRICS_PORT: '9434' });
  });

  it('give none when HEADLESSKEY_METRICS_PORT is unset or 0', () => {
    expect(metricsBase({})).toBe(0);
    expect(metricsEnv(metricsBase({ HEADLESSKEY_METRICS_PORT: '0' }), 'identity', 0)).toEqual({});
  });

  it('refuse a base that leaves no room for the last process', () => {
    expect(metricsBase({ HEADLESSKEY_METRICS_PORT: '65440' })).toBe(65440);
    expect(() => metricsBase({ HEADLESSKEY_METRICS_PORT: '65441' })).toThrow(ConfigError);
  });

  it('refuse a base whose block holds the API’s port', () => {
    expect(() => metricsBase({ HEADLESSKEY_METRICS_PORT: '8000' }, 8080)).toThrow("the API's port 8080 is among them");
    expect(metricsBase({ HEADLESSKEY_METRICS_PORT: '9400' }, 8080)).toBe(9400);
  });
});
