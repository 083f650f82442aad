import { describe, expect, it } from 'vitest';
import { exchangeInputOf } from './sso-exchange-request.js';

const SIG = 'a'.repeat(64);

describe('exchangeInputOf', () => {
  it('reads the body form: site_key and signature from the body, no timestamp', () => {
    expect(exchangeInputOf({ site_key: 'site-a', token: 't', signature: SIG }, {})).toEqual({ site_key: 'site-a', signature: SIG });
  });

  it('names what the body form is missing', () => {
    expect(exchangeInputOf({ token: 't' }, {})).toEqual({
      error: { code: 'rest_missing_callback_param', details: { params: ['site_key', 'signature'] } },
    });
  });

  it('reads the headers form, whose timestamp the signature covers, and ignores the body’s fields then', () => {
    const headers = { 'x-headlesskey-site': 'site-a', 'x-headlesskey-timestamp': '1700000000', 'x-headlesskey-signature': SIG };
    expect(exchangeInputOf({ token: 't', site_key: 'other', signature: 'b'.repeat(64) }, headers)).toEqual({
      site_key: 'site-a',
      signature: SIG,
      timestamp: '1700000000',
    });
  });

  it('needs all three headers once any is sent', () => {
    expect(exchangeInputOf({ site_key: 'site-a', signature: SIG }, { 'x-headlesskey-signature': SIG })).toEqual({
      error: { code: 'rest_missing_callback_param', details: { params: ['X-HeadlessKey-Site', 'X-HeadlessKey-Timestamp'] } },
    });
  });

  it('refuses a repeated or oversized header', () => {
    const headers = { 'x-headlesskey-site': ['a', 'b'], 'x-headlesskey-timestamp': '1'.repeat(33), 'x-headlesskey-signature': SIG };
    expect(exchangeInputOf({}, headers)).toEqual({
      error: {
        code: 'rest_invalid_param',
        details: {
          params: {
            'X-HeadlessKey-Site': 'X-HeadlessKey-Site must be sent once.',
            'X-HeadlessKey-Timestamp': 'X-HeadlessKey-Timestamp is too long.',
          },
        },
      },
    });
  });
});
