import { describe, expect, it } from 'vitest';
import { DEFAULT_DATABASE_URL, DEFAULT_NATS_URL, readCommonConfig } from './common.js';
import { ConfigError } from './env.js';

const INSTANCE_RULE = 'lower-case letters, digits and _ (starting with a letter, at most 31)';

describe('readCommonConfig', () => {
  it('gives the local defaults for an empty environment', () => {
    const config = readCommonConfig({});
    expect(config).toMatchObject({
      instance: 'hk',
      natsUrl: DEFAULT_NATS_URL,
      databaseUrl: DEFAULT_DATABASE_URL,
      logLevel: 'info',
      streamReplicas: 1,
    });
    expect(config.names.instance).toBe('hk');
    expect(config.names.eventStream).toBe('HK_EVENTS');
  });

  it('takes every value from the environment and builds the names of that instance', () => {
    const config = readCommonConfig({
      HEADLESSKEY_INSTANCE: 'site_b2',
      NATS_URL: 'nats://a:4222, nats://b:4222,tls://c:4222',
      DATABASE_URL: 'postgresql://app@db:5432/postgres',
      LOG_LEVEL: 'debug',
      HEADLESSKEY_STREAM_REPLICAS: '3',
    });
    expect(config).toMatchObject({
      streamReplicas: 3,
      instance: 'site_b2',
      natsUrl: 'nats://a:4222,nats://b:4222,tls://c:4222',
      databaseUrl: 'postgresql://app@db:5432/postgres',
      logLevel: 'debug',
    });
    expect(config.names.command('identity', 'login')).toBe('site_b2.cmd.identity.login');
  });

  it('serves no metrics unless given a port, and then on loopback unless given a host', () => {
    expect(readCommonConfig({}).metrics).toEqual({ port: 0, host: '127.0.0.1', exportIntervalMs: 60_000 });
    expect(readCommonConfig({ HEADLESSKEY_METRICS_PORT: '9464', HEADLESSKEY_METRICS_HOST: '0.0.0.0' }).metrics).toMatchObject({
      port: 9464,
      host: '0.0.0.0',
    });
    expect(() => readCommonConfig({ HEADLESSKEY_METRICS_PORT: '70000' })).toThrow(ConfigError);
  });

  it('refuses a replica count a JetStream cluster cannot have', () => {
    expect(() => readCommonConfig({ HEADLESSKEY_STREAM_REPLICAS: '6' })).toThrow(
      'HEADLESSKEY_STREAM_REPLICAS: expected an integer from 1 to 5, got "6"',
    );
  });

  it('accepts an instance name of 31 characters', () => {
    const instance = `a${'b'.repeat(30)}`;
    expect(readCommonConfig({ HEADLESSKEY_INSTANCE: instance }).instance).toBe(instance);
  });

  it.each(['HK', 'Site', '1hk', '_hk', 'hk-2', 'hk.2', 'hk 2', 'hk>', `a${'b'.repeat(31)}`])(
    'refuses HEADLESSKEY_INSTANCE=%j with one line',
    (instance) => {
      expect(() => readCommonConfig({ HEADLESSKEY_INSTANCE: instance })).toThrow(ConfigError);
      expect(() => readCommonConfig({ HEADLESSKEY_INSTANCE: instance })).toThrow(
        `HEADLESSKEY_INSTANCE: expected ${INSTANCE_RULE}, got "${instance}"`,
      );
    },
  );

  it('refuses a bus URL, a database URL or a log level it cannot use', () => {
    expect(() => readCommonConfig({ NATS_URL: 'nats://a:4222,http://b:4222' })).toThrow(
      'NATS_URL: expected comma-separated URLs (nats:, tls:), got "nats://a:4222,http://b:4222"',
    );
    expect(() => readCommonConfig({ DATABASE_URL: 'mysql://db/x' })).toThrow(
      'DATABASE_URL: expected a URL (postgres:, postgresql:), got "mysql://db/x"',
    );
    expect(() => readCommonConfig({ LOG_LEVEL: 'verbose' })).toThrow(
      'LOG_LEVEL: expected one of fatal, error, warn, info, debug, trace, silent, got "verbose"',
    );
  });
});
