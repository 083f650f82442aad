import { describe, expect, it } from 'vitest';
import { decodeCursor, encodeCursor } from './cursor.js';

const cursor = { at: '2026-01-01T00:00:00.123456Z', id: '0190c6a0-0000-7000-8000-000000000001' };

describe('keyset cursor', () => {
  it('comes back as it went out', () => {
    const text = encodeCursor(cursor);
    expect(text).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(decodeCursor(text)).toEqual(cursor);
  });

  it('is refused when it was not issued here', () => {
    const b64 = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
    expect(decodeCursor('not-a-cursor')).toBeUndefined();
    expect(decodeCursor(b64({ at: cursor.at, id: cursor.id }))).toBeUndefined();
    expect(decodeCursor(b64([cursor.at]))).toBeUndefined();
    expect(decodeCursor(b64(['2026-01-01', cursor.id]))).toBeUndefined();
    expect(decodeCursor(b64([cursor.at, "x' or 1=1 --"]))).toBeUndefined();
    expect(decodeCursor(b64(['2026-13-99T00:00:00.000000Z', cursor.id]))).toBeUndefined();
  });
});
