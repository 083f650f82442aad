import { ConfigError } from '@headlesskey/platform';
import { describe, expect, it } from 'vitest';
import { DEFAULT_RESET_URL, DEFAULT_VERIFY_URL, readIdentityConfig } from './config.js';

describe('identity configuration', () => {
  it('defaults to no SMTP server, the default reset and confirmation pages, a generated pepper and the top 100,000 list', () => {
    const config = readIdentityConfig({});
    expect(config.mail).toEqual({
      smtpUrl: undefined,
      from: 'HeadlessKey <no-reply@localhost>',
      resetUrl: DEFAULT_RESET_URL,
      verifyUrl: DEFAULT_VERIFY_URL,
    });
    expect(config.resetPepper).toBeUndefined();
    expect(config.blocklistSize).toBe(100_000);
  });

  it('takes an smtp(s) URL and a reset page with a {key} placeholder', () => {
    const config = readIdentityConfig({
      HEADLESSKEY_SMTP_URL: 'smtps://user:pass@mail.example.com:465',
      HEADLESSKEY_RESET_URL: 'https://app.example.com/reset/{key}?u={login}',
    });
    expect(config.mail.smtpUrl).toBe('smtps://user:pass@mail.example.com:465');
    expect(config.mail.resetUrl).toBe('https://app.example.com/reset/{key}?u={login}');
  });

  it('stops on a reset page without a key, or not http(s), naming the variable', () => {
    expect(() => readIdentityConfig({ HEADLESSKEY_RESET_URL: 'https://app.example.com/reset' })).toThrow(/HEADLESSKEY_RESET_URL/);
    expect(() => readIdentityConfig({ HEADLESSKEY_RESET_URL: 'javascript:alert({key})' })).toThrow(ConfigError);
  });

  it('stops on a non-SMTP mail URL, a short pepper, or a blocklist below 100,000', () => {
    expect(() => readIdentityConfig({ HEADLESSKEY_SMTP_URL: 'http://mail.example.com' })).toThrow(/HEADLESSKEY_SMTP_URL/);
    expect(() => readIdentityConfig({ HEADLESSKEY_RESET_PEPPER: 'too short' })).toThrow(/HEADLESSKEY_RESET_PEPPER/);
    expect(() => readIdentityConfig({ HEADLESSKEY_PASSWORD_BLOCKLIST_SIZE: '5000' })).toThrow(/HEADLESSKEY_PASSWORD_BLOCKLIST_SIZE/);
    expect(readIdentityConfig({ HEADLESSKEY_RESET_PEPPER: 'x'.repeat(32) }).resetPepper).toBe('x'.repeat(32));
  });

  it('takes the test-only bcrypt delay file with NODE_ENV=test only', () => {
    const name = 'HEADLESSKEY_TEST_ONLY_BCRYPT_DELAY_FILE';
    expect(readIdentityConfig({}).testOnlyBcryptDelayFile).toBeUndefined();
    expect(readIdentityConfig({ [name]: '/tmp/delay', NODE_ENV: 'test' }).testOnlyBcryptDelayFile).toBe('/tmp/delay');
    for (const NODE_ENV of [undefined, 'production', 'development']) {
      expect(() => readIdentityConfig({ [name]: '/tmp/delay', NODE_ENV })).toThrow(/HEADLESSKEY_TEST_ONLY_BCRYPT_DELAY_FILE/);
    }
  });
});
