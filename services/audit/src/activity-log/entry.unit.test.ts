import type { EventEnvelope } from '@headlesskey/contracts';
import { describe, expect, it } from 'vitest';
import { toActivityEntry } from './entry.js';

const base: EventEnvelope = {
  id: '0190c6a0-0000-7000-8000-000000000001',
  type: 'auth.login.failed',
  stream: 'signin-user-4',
  version: 1,
  occurredAt: '2026-01-01T00:00:00.000Z',
  data: { user_id: 4, reason: 'invalid_credentials' },
  meta: { ip: '203.0.113.9', userAgent: 'curl/8', traceparent: '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01' },
};

describe('activity entry', () => {
  it('takes who, where and the trace from the event', () => {
    expect(toActivityEntry(base)).toMatchObject({
      userId: 4,
      ip: '203.0.113.9',
      userAgent: 'curl/8',
      outcome: 'failure',
      traceId: '0af7651916cd43dd8448eb211c80319c',
    });
  });

  it('marks a successful login as success and leaves an absent trace empty', () => {
    const entry = toActivityEntry({ ...base, type: 'auth.login.succeeded', data: { user_id: 4, user_login: 'ada' }, meta: {} });
    expect(entry).toMatchObject({ outcome: 'success', login: 'ada', traceId: null, ip: null });
  });

  it('keeps an unknown user as null rather than guessing', () => {
    expect(toActivityEntry({ ...base, data: { user_id: null } }).userId).toBeNull();
  });
});
