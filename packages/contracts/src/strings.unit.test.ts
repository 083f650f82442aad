import type { TSchema } from '@sinclair/typebox';
import { describe, expect, it } from 'vitest';
import * as auditCommands from './commands/audit.js';
import * as identityCommands from './commands/identity.js';
import * as ssoCommands from './commands/sso.js';
import * as tokensCommands from './commands/tokens.js';
import * as webhooksCommands from './commands/webhooks.js';
import { isText, isUserId, PATTERNS, patternRule, STRING_FORMATS, USERNAME_RULES, usernameProblem } from './strings.js';

describe('isText', () => {
  it('takes any Unicode scalar value but NUL, and no unpaired surrogate', () => {
    expect(isText('Ada Lovelace ✓ 😀 \n\t')).toBe(true);
    expect(isText('')).toBe(true);
    for (const bad of ['\u0000', 'a\u0000b', '\ud800', 'a\udc00b', '\ud83d', '\ude00\ud83d', 'x\ud800']) expect(isText(bad)).toBe(false);
  });
});

describe('usernameProblem', () => {
  it('takes letters of one script, digits, marks, spaces and ASCII punctuation', () => {
    for (const ok of [
      'ada',
      'Ada Lovelace',
      'ada.lovelace+1@example.com',
      'José',
      'Ωμέγα',
      'Вася_99',
      '山田taro',
      'さくら',
      '김철수',
      'Đặng',
    ]) {
      expect(usernameProblem(ok), ok).toBeUndefined();
    }
  });

  it('refuses control, invisible and bidi characters', () => {
    for (const bad of [
      'ad\u200bmin',
      'ad\u200dmin',
      'admin\r\n',
      'a\tb',
      '\u202egnp.exe',
      'admin\u200e',
      '\u2066x',
      'a\u00adb',
      'x\u0000',
    ]) {
      expect(usernameProblem(bad), JSON.stringify(bad)).toBe(USERNAME_RULES.characters);
    }
  });

  it('refuses symbols that are no letters', () => {
    expect(usernameProblem('admin😀')).toBe(USERNAME_RULES.characters);
  });

  it('refuses letters of mixed scripts: the look-alike of a Latin name', () => {
    for (const bad of ['p\u0430ypal', 'admin\u0456', '\u0391dmin', 'Вася_v']) {
      expect(usernameProblem(bad), bad).toBe(USERNAME_RULES.scripts);
    }
  });
});

describe('isUserId', () => {
  it('takes the text of a PostgreSQL integer above 0, nothing else', () => {
    expect(['1', '42', '2147483647'].every(isUserId)).toBe(true);
    expect(['0', '01', '-1', '2147483648', '99999999999', '1.5', '1e3', ' 1', ''].some(isUserId)).toBe(false);
  });
});

/** Every string schema inside `schema`, with where it is. */
function strings(schema: unknown, at: string, out: [string, Record<string, unknown>][] = []): [string, Record<string, unknown>][] {
  if (schema === null || typeof schema !== 'object') return out;
  const s = schema as Record<string, unknown>;
  if (s.type === 'string' && s.const === undefined && s.enum === undefined) out.push([at, s]);
  for (const [key, value] of Object.entries(s)) {
    if (Array.isArray(value)) {
      for (const [i, v] of value.entries()) strings(v, `${at}.${key}[${i}]`, out);
    } else if (typeof value === 'object') strings(value, `${at}.${key}`, out);
  }
  return out;
}

describe('the request schemas', () => {
  const modules = { auditCommands, identityCommands, ssoCommands, tokensCommands, webhooksCommands };
  const requests = Object.entries(modules).flatMap(([module, exports]) =>
    Object.entries(exports)
      .filter(([, value]) => typeof value === 'object' && value !== null && 'request' in value)
      .map(([name, value]) => [`${module}.${name}`, (value as { request: TSchema }).request] as const),
  );

  it('are many: every command is walked', () => {
    expect(requests.length).toBeGreaterThan(30);
  });

  it('give every string a format of the contract or a pattern of the contract: one owner for what a valid string is', () => {
    const loose = requests.flatMap(([name, request]) =>
      strings(request, name)
        .filter(([, s]) => !(typeof s.format === 'string' && s.format in STRING_FORMATS) && patternRule(String(s.pattern)) === undefined)
        .map(([at]) => at),
    );
    expect(loose).toEqual([]);
  });

  it('use no pattern that lets a NUL or a surrogate through, but the email one, which goes with text', () => {
    const { email, ...others } = PATTERNS;
    const emails = requests.flatMap(([name, request]) => strings(request, name).filter(([, s]) => s.pattern === email.pattern));
    expect(emails.length).toBeGreaterThan(0);
    expect(emails.filter(([, s]) => s.format !== 'text').map(([at]) => at)).toEqual([]);
    for (const { pattern } of Object.values(others)) {
      for (const bad of ['\u0000', '\ud800', '1\u0000', 'a@b\u0000']) expect(new RegExp(pattern, 'u').test(bad)).toBe(false);
    }
  });
});
