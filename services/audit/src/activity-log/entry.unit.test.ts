import type { EventEnvelope } from '@headlesskey/contracts';
import { describe, expect, it } from 'vitest';
import { InvalidEvent, isExpired, normalizeIp, toActivityEntry } from './entry.js';

const CHROME = 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Safari/537.36';

const base: EventEnvelope = {
  id: '0190c6a0-0000-7000-8000-000000000001',
  type: 'auth.login.failed',
  stream: 'signin-user-4',
  version: 1,
  occurredAt: '2026-01-01T00:00:00.000Z',
  data: { user_id: 4, reason: 'invalid_credentials' },
  meta: { ip: '203.0.113.9', userAgent: CHROME, traceparent: '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01' },
};

describe('activity entry', () => {
  it('takes who, where, the device and the trace from the event', () => {
    expect(toActivityEntry(base)).toEqual({
      eventId: base.id,
      occurredAt: '2026-01-01T00:00:00.000Z',
      type: 'auth.login.failed',
      userId: 4,
      login: null,
      ip: '203.0.113.9',
      userAgent: CHROME,
      browser: 'Chrome 120',
      os: 'Windows 10',
      deviceType: 'desktop',
      outcome: 'failure',
      traceId: '0af7651916cd43dd8448eb211c80319c',
      data: { user_id: 4, reason: 'invalid_credentials' },
    });
  });

  it('marks a successful login as success and leaves what is absent empty', () => {
    const entry = toActivityEntry({ ...base, type: 'auth.login.succeeded', data: { user_id: 4, user_login: 'ada' }, meta: {} });
    expect(entry).toMatchObject({ outcome: 'success', login: 'ada', traceId: null, ip: null, userAgent: null, deviceType: 'unknown' });
  });

  it('marks revocations and settings changes as info', () => {
    expect(toActivityEntry({ ...base, type: 'token.revoked' }).outcome).toBe('info');
    expect(toActivityEntry({ ...base, type: 'settings.changed', data: {} }).outcome).toBe('info');
  });

  it('keeps an unknown user as null rather than guessing', () => {
    expect(toActivityEntry({ ...base, data: { user_id: null } }).userId).toBeNull();
  });

  it('never keeps a credential an event should not have carried', () => {
    const entry = toActivityEntry({ ...base, data: { user_id: 4, password: 'hunter2hunter2', reset_key: 'abc' } });
    expect(JSON.stringify(entry)).not.toMatch(/hunter2|abc/);
  });

  it('refuses an event it can never store, so it is dead-lettered rather than retried', () => {
    expect(() => toActivityEntry({ ...base, occurredAt: 'yesterday' })).toThrow(InvalidEvent);
    expect(() => toActivityEntry({ ...base, occurredAt: '2026-13-45T99:00:00Z' })).toThrow(InvalidEvent);
    expect(() => toActivityEntry({ ...base, data: { user_id: 1e12 } })).toThrow(InvalidEvent);
    expect(() => toActivityEntry({ ...base, data: { user_id: '4' } })).toThrow(InvalidEvent);
  });

  it('normalises the time to UTC', () => {
    expect(toActivityEntry({ ...base, occurredAt: '2026-01-01T02:00:00+02:00' }).occurredAt).toBe('2026-01-01T00:00:00.000Z');
  });
});

describe('normalizeIp', () => {
  it('writes an IPv4-mapped address as IPv4 and drops what is not an address', () => {
    expect(normalizeIp('::ffff:127.0.0.1')).toBe('127.0.0.1');
    expect(normalizeIp('2001:DB8::1')).toBe('2001:db8::1');
    expect(normalizeIp('')).toBeNull();
    expect(normalizeIp('localhost')).toBeNull();
    expect(normalizeIp('999.1.1.1')).toBeNull();
  });
});

describe('isExpired', () => {
  const now = Date.parse('2026-03-01T00:00:00Z');
  it('is true only past the retention window', () => {
    expect(isExpired('2026-02-01T00:00:00Z', now, 30)).toBe(false);
    expect(isExpired('2026-01-29T23:59:59Z', now, 30)).toBe(true);
  });
});
