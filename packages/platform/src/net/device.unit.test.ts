import { describe, expect, it } from 'vitest';
import { deviceOf } from './device.js';

describe('deviceOf', () => {
  it('names browser, OS and type of a phone', () => {
    const ua =
      'Mozilla/5.0 (iPhone; CPU iPhone OS 17_2 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.2 Mobile/15E148 Safari/604.1';
    expect(deviceOf(ua)).toEqual({ browser: 'Mobile Safari 17', os: 'iOS 17.2', type: 'mobile' });
  });

  it('calls a browser on no particular device a desktop', () => {
    const ua = 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Safari/537.36';
    expect(deviceOf(ua)).toEqual({ browser: 'Chrome 120', os: 'Windows 10', type: 'desktop' });
  });

  it('names a tablet', () => {
    const ua =
      'Mozilla/5.0 (iPad; CPU OS 16_6 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/16.6 Mobile/15E148 Safari/604.1';
    expect(deviceOf(ua).type).toBe('tablet');
  });

  it('leaves what it cannot tell unknown', () => {
    expect(deviceOf('curl/8.5.0')).toEqual({ browser: null, os: null, type: 'unknown' });
    expect(deviceOf('')).toEqual({ browser: null, os: null, type: 'unknown' });
    expect(deviceOf(undefined)).toEqual({ browser: null, os: null, type: 'unknown' });
  });

  it('parses a huge agent without choking on it', () => {
    expect(deviceOf(`Mozilla/5.0 ${'('.repeat(100_000)}`).type).toBe('unknown');
  });
});
