import { describe, expect, it } from 'vitest';
import { checkUrl } from './url-policy.js';

const reason = (text: string) => {
  const verdict = checkUrl(text);
  return verdict.ok ? undefined : verdict.reason;
};

describe('checkUrl', () => {
  it('takes http and https URLs and says when the host is a literal address', () => {
    expect(checkUrl('https://hooks.example.com/in?x=1')).toMatchObject({ ok: true, host: 'hooks.example.com', literal: null });
    expect(checkUrl('http://[2606:4700::1]:8080/')).toMatchObject({ ok: true, host: '2606:4700::1', literal: '2606:4700::1' });
  });

  it('refuses other schemes', () => {
    for (const url of ['ftp://example.com/', 'file:///etc/passwd', 'gopher://example.com/', 'javascript:alert(1)', 'ws://example.com/']) {
      expect(reason(url)).toBe('url must use http or https.');
    }
  });

  it('refuses credentials in the URL', () => {
    expect(reason('https://user:pass@example.com/')).toBe('url must not carry credentials.');
    expect(reason('https://user@example.com/')).toBe('url must not carry credentials.');
  });

  it('refuses what is not a URL', () => {
    expect(reason('not a url')).toBe('url is not a valid URL.');
    expect(reason('/relative')).toBe('url is not a valid URL.');
  });

  it('writes decimal, octal, hex and mapped spellings of an address canonically', () => {
    expect(checkUrl('http://2130706433/')).toMatchObject({ literal: '127.0.0.1' });
    expect(checkUrl('http://0177.0.0.1/')).toMatchObject({ literal: '127.0.0.1' });
    expect(checkUrl('http://0x7f.1/')).toMatchObject({ literal: '127.0.0.1' });
    expect(checkUrl('http://[::ffff:127.0.0.1]/')).toMatchObject({ literal: '::ffff:7f00:1' });
  });
});
