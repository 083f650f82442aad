import { ConfigError } from '@headlesskey/platform';
import { describe, expect, it } from 'vitest';
import { systemSettings } from './settings.js';

describe('systemSettings', () => {
  it('falls back to the defaults every service uses', () => {
    const s = systemSettings({}, {});
    expect(s).toMatchObject({
      instance: 'hk',
      port: 8080,
      url: 'http://127.0.0.1:8080',
      apiUrl: 'http://127.0.0.1:8080/wp-json/headlesskey/v1',
    });
    expect(s.env).toMatchObject({
      HEADLESSKEY_INSTANCE: 'hk',
      HEADLESSKEY_PORT: '8080',
      NATS_URL: 'nats://127.0.0.1:4222',
      DATABASE_URL: 'postgres://postgres@127.0.0.1:5432/postgres',
    });
  });

  it('lets options beat opts.env, and opts.env beat the inherited environment', () => {
    const inherited = { HEADLESSKEY_INSTANCE: 'inherited', HEADLESSKEY_PORT: '1111', LOG_LEVEL: 'warn', PATH: '/bin' };
    const s = systemSettings({ instance: 'chosen', env: { HEADLESSKEY_PORT: '2222', HEADLESSKEY_INSTANCE: 'fromenv' } }, inherited);
    expect(s.instance).toBe('chosen');
    expect(s.port).toBe(2222);
    expect(s.env).toMatchObject({ HEADLESSKEY_INSTANCE: 'chosen', HEADLESSKEY_PORT: '2222', LOG_LEVEL: 'warn', PATH: '/bin' });
  });

  it('hands every service the same backend URLs', () => {
    const s = systemSettings(
      { natsUrl: 'nats://10.0.0.1:4222', databaseUrl: 'postgres://u:p@10.0.0.2:5432/postgres' },
      { NATS_URL: 'nats://ignored:1' },
    );
    expect(s.env.NATS_URL).toBe('nats://10.0.0.1:4222');
    expect(s.env.DATABASE_URL).toBe('postgres://u:p@10.0.0.2:5432/postgres');
  });

  it('reaches a gateway listening on every interface through loopback', () => {
    expect(systemSettings({ port: 9000 }, { HEADLESSKEY_HOST: '0.0.0.0' }).url).toBe('http://127.0.0.1:9000');
    expect(systemSettings({ port: 9000 }, { HEADLESSKEY_HOST: '::' }).url).toBe('http://[::1]:9000');
  });

  it('builds the REST base from the namespace settings', () => {
    const s = systemSettings({}, { HEADLESSKEY_REST_NAMESPACE: 'auth', HEADLESSKEY_REST_VERSION: 'v2' });
    expect(s.apiUrl).toBe('http://127.0.0.1:8080/wp-json/auth/v2');
  });

  it('refuses a bad instance name or port with a one-line configuration error', () => {
    expect(() => systemSettings({ instance: 'Bad-Name' }, {})).toThrow(ConfigError);
    expect(() => systemSettings({}, { HEADLESSKEY_PORT: 'abc' })).toThrow(
      'HEADLESSKEY_PORT: expected an integer from 1 to 65535, got "abc"',
    );
  });
});
