import { describe, expect, it } from 'vitest';
import { isRefusedData } from './failure.js';

describe('isRefusedData', () => {
  it('is true for data exceptions and integrity violations', () => {
    expect(isRefusedData({ code: '22007' })).toBe(true);
    expect(isRefusedData({ code: '22P02' })).toBe(true);
    expect(isRefusedData({ code: '23502' })).toBe(true);
    expect(isRefusedData({ sqlState: '22003' })).toBe(true);
  });

  it('is false for what may pass on a later try', () => {
    expect(isRefusedData({ code: 'ECONNREFUSED' })).toBe(false);
    expect(isRefusedData({ code: '57P01' })).toBe(false);
    expect(isRefusedData({ code: '40001' })).toBe(false);
    expect(isRefusedData(new Error('timeout'))).toBe(false);
    expect(isRefusedData(null)).toBe(false);
  });
});
