import { describe, expect, it } from 'vitest';
import { blocklistForm, loadCommonPasswords } from './blocklist.js';

describe('the shipped common-password list', () => {
  it('holds at least the 100,000 most common passwords, long ones included', () => {
    const common = loadCommonPasswords();
    expect(common.size).toBeGreaterThanOrEqual(100_000);
    for (const listed of ['123456', 'password', '1qaz2wsx3edc4rfv', '123456789987654321']) {
      expect(common.has(blocklistForm(listed))).toBe(true);
    }
    expect(common.has(blocklistForm('correct horse battery staple'))).toBe(false);
  });
});
