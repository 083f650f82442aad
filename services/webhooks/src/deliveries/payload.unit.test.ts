import type { EventEnvelope } from '@headlesskey/contracts';
import { describe, expect, it } from 'vitest';
import { webhookPayload } from './payload.js';

const event: EventEnvelope = {
  id: '0190c6a0-0000-7000-8000-000000000001',
  type: 'token.issued',
  stream: 'session-1',
  version: 1,
  occurredAt: '2026-01-01T00:00:00.000Z',
  data: { user_id: 4, session_id: 's-1', jti: 'j-1', issued_at: 1, expires_at: 2, device: 'laptop', refresh_until: 3 },
  meta: { ip: '203.0.113.9', userAgent: 'curl/8', device: 'phone', traceparent: '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01' },
};

describe('webhookPayload', () => {
  it('carries the type, the time, the ids, the IP and the device', () => {
    expect(webhookPayload(event)).toEqual({
      type: 'token.issued',
      timestamp: '2026-01-01T00:00:00.000Z',
      data: { ...event.data, ip: '203.0.113.9', user_agent: 'curl/8' },
    });
  });

  it('takes the device from the request when the event names none', () => {
    const payload = webhookPayload({ ...event, type: 'auth.login.failed', data: { user_id: null, reason: 'invalid_credentials' } });
    expect(payload.data).toEqual({
      user_id: null,
      reason: 'invalid_credentials',
      ip: '203.0.113.9',
      device: 'phone',
      user_agent: 'curl/8',
    });
  });

  it('never carries a credential, whatever a producer put in the event', () => {
    const leaky = {
      ...event,
      data: {
        user_id: 4,
        password: 'hunter2hunter2',
        reset_key: 'rk-123',
        otp: '654321',
        token: 'tok',
        note: 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.c2ln',
        nested: { client_secret: 'cs', list: ['whsec_abc', 'fine'] },
      },
    };
    const text = JSON.stringify(webhookPayload(leaky));
    for (const secret of ['hunter2', 'rk-123', '654321', 'tok"', 'eyJ', 'cs"', 'whsec_']) expect(text).not.toContain(secret);
    expect(text).toContain('"list":["fine"]');
  });

  it('keeps an address the event names itself, and leaves an unknown one null', () => {
    expect(webhookPayload({ ...event, data: { user_id: 4, ip: '10.0.0.1' } }).data.ip).toBe('10.0.0.1');
    expect(webhookPayload({ ...event, meta: {} }).data).toMatchObject({ ip: null, user_agent: null, device: 'laptop' });
  });
});
