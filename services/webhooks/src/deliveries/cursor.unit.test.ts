import { describe, expect, it } from 'vitest';
import { decodeCursor, encodeCursor, pageSize } from './cursor.js';

describe('delivery log cursor', () => {
  const cursor = { at: '2026-01-01T00:00:00.123456Z', id: '0190c6a0-0000-7000-8000-000000000001' };

  it('comes back as it went out', () => {
    expect(decodeCursor(encodeCursor(cursor))).toEqual(cursor);
  });

  it('is refused when it was not issued here', () => {
    expect(decodeCursor('abc')).toBeUndefined();
    expect(decodeCursor(Buffer.from(JSON.stringify([cursor.at, 'x'])).toString('base64url'))).toBeUndefined();
    expect(decodeCursor(Buffer.from('{"at":1}').toString('base64url'))).toBeUndefined();
  });
});

describe('pageSize', () => {
  it('is 50 by default and between 1 and 100', () => {
    expect(pageSize(undefined)).toBe(50);
    expect(pageSize('1')).toBe(1);
    expect(pageSize('100')).toBe(100);
    expect(pageSize('0')).toBeUndefined();
    expect(pageSize('101')).toBeUndefined();
  });
});
