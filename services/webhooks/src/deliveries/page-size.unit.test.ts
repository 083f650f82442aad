import { describe, expect, it } from 'vitest';
import { pageSize } from './page-size.js';

describe('pageSize', () => {
  it('is 50 by default and between 1 and 100', () => {
    expect(pageSize(undefined)).toBe(50);
    expect(pageSize('1')).toBe(1);
    expect(pageSize('100')).toBe(100);
    expect(pageSize('0')).toBeUndefined();
    expect(pageSize('101')).toBeUndefined();
  });
});
