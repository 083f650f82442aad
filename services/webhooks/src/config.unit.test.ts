import { ConfigError } from '@headlesskey/platform';
import { describe, expect, it } from 'vitest';
import { readWebhooksConfig } from './config.js';
import { STANDARD_SCHEDULE_S } from './deliveries/schedule.js';

describe('readWebhooksConfig', () => {
  it('defaults to the standard schedule, a 10 s timeout and the address rule on', () => {
    expect(readWebhooksConfig({})).toEqual({
      allowPrivate: false,
      timeoutMs: 10_000,
      retrySchedule: STANDARD_SCHEDULE_S,
      retryScale: 1,
      concurrency: 64,
      endpointConcurrency: 4,
      pollMs: 1000,
      secretOverlapSeconds: 86_400,
    });
  });

  it('takes a shorter schedule, a scale and the development switch', () => {
    const config = readWebhooksConfig({
      HEADLESSKEY_WEBHOOK_ALLOW_PRIVATE: 'true',
      HEADLESSKEY_WEBHOOK_RETRY_SCHEDULE: '0.1, 0.5,2',
      HEADLESSKEY_WEBHOOK_RETRY_SCALE: '1e-4',
    });
    expect(config).toMatchObject({ allowPrivate: true, retrySchedule: [0.1, 0.5, 2], retryScale: 0.0001 });
    expect(readWebhooksConfig({ HEADLESSKEY_OUTBOUND_ALLOW_PRIVATE: 'true' }).allowPrivate).toBe(true);
    expect(
      readWebhooksConfig({ HEADLESSKEY_OUTBOUND_ALLOW_PRIVATE: 'false', HEADLESSKEY_WEBHOOK_ALLOW_PRIVATE: 'true' }).allowPrivate,
    ).toBe(false);
  });

  it('stops on a bad value with one line naming the variable', () => {
    expect(() => readWebhooksConfig({ HEADLESSKEY_WEBHOOK_RETRY_SCHEDULE: '1,,2' })).toThrow(ConfigError);
    expect(() => readWebhooksConfig({ HEADLESSKEY_WEBHOOK_RETRY_SCHEDULE: '-1' })).toThrow(/HEADLESSKEY_WEBHOOK_RETRY_SCHEDULE/);
    expect(() => readWebhooksConfig({ HEADLESSKEY_WEBHOOK_RETRY_SCALE: '0' })).toThrow(/HEADLESSKEY_WEBHOOK_RETRY_SCALE/);
    expect(() => readWebhooksConfig({ HEADLESSKEY_WEBHOOK_RETRY_SCALE: '2' })).toThrow(ConfigError);
    expect(() => readWebhooksConfig({ HEADLESSKEY_WEBHOOK_ALLOW_PRIVATE: 'maybe' })).toThrow(/HEADLESSKEY_WEBHOOK_ALLOW_PRIVATE/);
  });
});
