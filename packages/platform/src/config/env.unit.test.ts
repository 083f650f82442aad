import { describe, expect, it } from 'vitest';
import { bool, ConfigError, int, list, oneOf, optionalStr, pattern, str, url, urlList } from './env.js';

/** Runs a reader and returns the one-line message it stopped with. */
function failure(read: () => unknown): string {
  try {
    read();
  } catch (err) {
    expect(err).toBeInstanceOf(ConfigError);
    expect((err as Error).name).toBe('ConfigError');
    return (err as Error).message;
  }
  throw new Error('expected a ConfigError');
}

describe('str and optionalStr', () => {
  it('take the trimmed value, and the fallback when the variable is absent or blank', () => {
    expect(str({ NAME: '  value ' }, 'NAME', 'fallback')).toBe('value');
    expect(str({}, 'NAME', 'fallback')).toBe('fallback');
    expect(str({ NAME: '   ' }, 'NAME', 'fallback')).toBe('fallback');
    expect(optionalStr({ NAME: ' v ' }, 'NAME')).toBe('v');
    expect(optionalStr({}, 'NAME')).toBeUndefined();
    expect(optionalStr({ NAME: '' }, 'NAME')).toBeUndefined();
  });
});

describe('list', () => {
  const digits = (value?: string) => list({ L: value }, 'L', 'numbers separated by commas', (entry) => /^\d+$/.test(entry));

  it('splits on commas, trims each entry and drops blank ones', () => {
    expect(digits(' 1, 22 ,,333 , ')).toEqual(['1', '22', '333']);
  });

  it('is empty when absent or blank', () => {
    expect(digits(undefined)).toEqual([]);
    expect(digits('  ')).toEqual([]);
  });

  it('names the first refused entry in one line', () => {
    expect(failure(() => digits('1, x2, y'))).toBe('L: expected numbers separated by commas, got "x2"');
  });
});

describe('int', () => {
  const port = (value?: string) => int({ PORT: value }, 'PORT', 8080, 1, 65535);

  it('accepts integers inside the bounds, both ends included, and trims them', () => {
    expect(port('1')).toBe(1);
    expect(port('65535')).toBe(65535);
    expect(port(' 443 ')).toBe(443);
    expect(int({ N: '-5' }, 'N', 0, -10, 10)).toBe(-5);
  });

  it('falls back when absent or blank', () => {
    expect(port(undefined)).toBe(8080);
    expect(port('')).toBe(8080);
  });

  it.each(['abc', '1.5', '1e3', '+5', '0x10', '0', '65536', '-1'])('refuses %j with one line', (value) => {
    expect(failure(() => port(value))).toBe(`PORT: expected an integer from 1 to 65535, got "${value}"`);
  });
});

describe('bool', () => {
  it.each(['true', '1', 'yes', 'on', 'TRUE', ' On '])('reads %j as true', (value) => {
    expect(bool({ FLAG: value }, 'FLAG', false)).toBe(true);
  });

  it.each(['false', '0', 'no', 'off', 'False', 'NO'])('reads %j as false', (value) => {
    expect(bool({ FLAG: value }, 'FLAG', true)).toBe(false);
  });

  it('falls back when absent or blank', () => {
    expect(bool({}, 'FLAG', true)).toBe(true);
    expect(bool({ FLAG: ' ' }, 'FLAG', false)).toBe(false);
  });

  it('refuses anything else, quoting the value as given', () => {
    expect(failure(() => bool({ FLAG: 'maybe' }, 'FLAG', true))).toBe('FLAG: expected true or false, got "maybe"');
    expect(failure(() => bool({ FLAG: 'Enabled' }, 'FLAG', true))).toBe('FLAG: expected true or false, got "Enabled"');
  });
});

describe('url', () => {
  const nats = (value?: string, fallback = 'nats://127.0.0.1:4222') => url({ NATS_URL: value }, 'NATS_URL', fallback, ['nats:', 'tls:']);

  it('returns the value unchanged when its protocol is allowed', () => {
    expect(nats('nats://bus.internal:4222')).toBe('nats://bus.internal:4222');
    expect(nats(' tls://bus:4443 ')).toBe('tls://bus:4443');
  });

  it('falls back when absent', () => {
    expect(nats(undefined)).toBe('nats://127.0.0.1:4222');
  });

  it('refuses text that is not a URL, and a URL of another protocol', () => {
    expect(failure(() => nats('not a url'))).toBe('NATS_URL: expected a URL (nats:, tls:), got "not a url"');
    expect(failure(() => nats('http://bus:4222'))).toBe('NATS_URL: expected a URL (nats:, tls:), got "http://bus:4222"');
  });

  it('checks the fallback too', () => {
    expect(failure(() => nats(undefined, 'http://x'))).toBe('NATS_URL: expected a URL (nats:, tls:), got "http://x"');
  });
});

describe('urlList', () => {
  const servers = (value?: string) => urlList({ NATS_URL: value }, 'NATS_URL', 'nats://127.0.0.1:4222', ['nats:', 'tls:']);

  it('accepts one URL or several separated by commas, dropping the spaces around them', () => {
    expect(servers('nats://a:4222')).toBe('nats://a:4222');
    expect(servers('nats://a:4222, nats://b:4222 ,tls://c:4443')).toBe('nats://a:4222,nats://b:4222,tls://c:4443');
    expect(servers(undefined)).toBe('nats://127.0.0.1:4222');
  });

  it('refuses the whole list when one entry is not an allowed URL', () => {
    expect(failure(() => servers('nats://a:4222,http://b:4222'))).toBe(
      'NATS_URL: expected comma-separated URLs (nats:, tls:), got "nats://a:4222,http://b:4222"',
    );
    expect(failure(() => servers('nats://a:4222,,nats://b:4222'))).toBe(
      'NATS_URL: expected comma-separated URLs (nats:, tls:), got "nats://a:4222,,nats://b:4222"',
    );
  });
});

describe('pattern', () => {
  const read = (value?: string) => pattern({ ID: value }, 'ID', 'abc', /^[a-z]+$/, 'lower-case letters');

  it('accepts a match and falls back when absent', () => {
    expect(read('xyz')).toBe('xyz');
    expect(read(undefined)).toBe('abc');
  });

  it('refuses a mismatch, saying what it wanted', () => {
    expect(failure(() => read('X1'))).toBe('ID: expected lower-case letters, got "X1"');
  });
});

describe('oneOf', () => {
  const levels = ['error', 'warn', 'info'] as const;

  it('accepts a listed value and falls back when absent', () => {
    expect(oneOf({ LEVEL: 'warn' }, 'LEVEL', 'info', levels)).toBe('warn');
    expect(oneOf({}, 'LEVEL', 'info', levels)).toBe('info');
  });

  it('refuses an unlisted value, listing the choices', () => {
    expect(failure(() => oneOf({ LEVEL: 'loud' }, 'LEVEL', 'info', levels))).toBe('LEVEL: expected one of error, warn, info, got "loud"');
    expect(failure(() => oneOf({ LEVEL: 'WARN' }, 'LEVEL', 'info', levels))).toBe('LEVEL: expected one of error, warn, info, got "WARN"');
  });
});
