import { describe, expect, it } from 'vitest';
import { COMMON_PASSWORD_MESSAGE, passwordProblem } from './policy.js';

const ctx = { minLength: 15, username: 'ada.lovelace.1815', email: 'ada.lovelace@example.com', siteName: 'Analytical Engine Co' };

describe('password policy', () => {
  it('accepts a long passphrase with no composition rules', () => {
    expect(passwordProblem('all lowercase words here', ctx)).toBeUndefined();
  });

  it('counts code points, not UTF-16 units or bytes', () => {
    expect(passwordProblem('😀'.repeat(14), ctx)).toMatch(/at least 15/);
    expect(passwordProblem('😀'.repeat(15), ctx)).toBeUndefined();
  });

  it('refuses what is too short or too long, naming the rule', () => {
    expect(passwordProblem('short', ctx)).toBe('Password must be at least 15 characters long.');
    expect(passwordProblem('a'.repeat(1025), ctx)).toBe('Password must be at most 1024 characters long.');
  });

  it('refuses the username, email or site name in any case or width', () => {
    expect(passwordProblem('ADA.LOVELACE.1815', ctx)).toMatch(/username/);
    expect(passwordProblem('ada.lovelace@example.com', ctx)).toMatch(/email/);
    expect(passwordProblem('ａｎａｌｙｔｉｃａｌ engine co', ctx)).toMatch(/site's name/);
  });

  it('refuses a listed password in any case or width, naming the rule', () => {
    const common = new Set(['1qaz2wsx3edc4rfv', 'qazwsxedcrfvtgb']);
    const withList = { ...ctx, common };
    expect(passwordProblem('1qaz2wsx3edc4rfv', withList)).toBe(COMMON_PASSWORD_MESSAGE);
    expect(passwordProblem('1QAZ2WSX3EDC4RFV', withList)).toBe(COMMON_PASSWORD_MESSAGE);
    expect(passwordProblem('ｑａｚｗｓｘｅｄｃｒｆｖｔｇｂ', withList)).toBe(COMMON_PASSWORD_MESSAGE);
    expect(passwordProblem('1qaz2wsx3edc4rfv5', withList)).toBeUndefined();
  });

  it('checks length before the list, so a short listed password is told it is short', () => {
    expect(passwordProblem('password', { ...ctx, common: new Set(['password']) })).toMatch(/at least 15/);
    expect(passwordProblem('password', { ...ctx, minLength: 8, common: new Set(['password']) })).toBe(COMMON_PASSWORD_MESSAGE);
  });
});
