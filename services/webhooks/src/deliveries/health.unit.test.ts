import { describe, expect, it } from 'vitest';
import { type EndpointHealthRow, webhookStatsOf } from './health.js';

const endpoint = (over: Partial<EndpointHealthRow>): EndpointHealthRow => ({
  id: '0190c6a0-0000-7000-8000-000000000001',
  url: 'https://example.com/hook',
  description: '',
  enabled: true,
  disabled_reason: null,
  last_attempt_at: null,
  last_status_code: null,
  last_error: null,
  pending: 0,
  retrying: 0,
  dead: 0,
  ...over,
});

describe('webhookStatsOf', () => {
  it('calls an endpoint failing when its latest attempt failed, with or without an answer', () => {
    const stats = webhookStatsOf([
      endpoint({ id: 'ok', last_status_code: 204, pending: 2 }),
      endpoint({ id: 'http', last_status_code: 500, last_error: 'HTTP 500', pending: 1, retrying: 1 }),
      endpoint({ id: 'down', last_error: 'connect ECONNREFUSED', dead: 3 }),
      endpoint({ id: 'new' }),
    ]);
    expect(stats.failing.map((e) => e.id)).toEqual(['http', 'down']);
    expect(stats.failing[0]).toMatchObject({ last_status_code: 500, retrying: 1, dead: 0 });
    expect(stats.failing[0]).not.toHaveProperty('pending');
    expect(stats).toMatchObject({ endpoints: 4, enabled: 4, pending: 3, dead: 3 });
  });

  it('counts one the service disabled as failing, and not one an administrator turned off', () => {
    const stats = webhookStatsOf([
      endpoint({ id: 'gone', enabled: false, disabled_reason: 'gone', last_status_code: 410, dead: 1 }),
      endpoint({ id: 'off', enabled: false, last_status_code: 200 }),
    ]);
    expect(stats.failing.map((e) => e.id)).toEqual(['gone']);
    expect(stats).toMatchObject({ endpoints: 2, enabled: 0, dead: 1 });
  });

  it('answers zeros with no endpoint', () => {
    expect(webhookStatsOf([])).toEqual({ endpoints: 0, enabled: 0, pending: 0, dead: 0, failing: [] });
  });
});
