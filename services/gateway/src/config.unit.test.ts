import { ConfigError } from '@headlesskey/platform';
import { describe, expect, it } from 'vitest';
import { readGatewayConfig } from './config.js';

describe('readGatewayConfig', () => {
  it('has the documented defaults', () => {
    expect(readGatewayConfig({})).toEqual({
      port: 8080,
      host: '127.0.0.1',
      namespace: 'headlesskey',
      version: 'v1',
      legacyNamespace: true,
      bodyLimit: 16384,
      trustedProxies: [],
      commandTimeoutMs: 5000,
      cors: { enabled: true, origins: 'any' },
      rateLimits: { public: { max: 20, windowMs: 60_000 }, sso: { max: 600, windowMs: 60_000 } },
      console: { enabled: true, path: '/admin/', dir: expect.stringMatching(/packages\/console\/dist$/) },
    });
  });

  it('reads every variable', () => {
    const config = readGatewayConfig({
      HEADLESSKEY_PORT: '9000',
      HEADLESSKEY_HOST: '0.0.0.0',
      HEADLESSKEY_REST_NAMESPACE: 'my-custom_auth',
      HEADLESSKEY_REST_VERSION: 'v2',
      HEADLESSKEY_LEGACY_NAMESPACE: 'off',
      HEADLESSKEY_BODY_LIMIT: '65536',
      HEADLESSKEY_TRUSTED_PROXIES: ' 10.0.0.0/8, 192.0.2.1 ,::1, fd00::/8 ',
      HEADLESSKEY_COMMAND_TIMEOUT_MS: '250',
      HEADLESSKEY_CORS: 'false',
      HEADLESSKEY_CORS_ORIGINS: 'https://app.example.com, http://localhost:3000',
      HEADLESSKEY_RATE_LIMIT: '0',
      HEADLESSKEY_SSO_RATE_LIMIT: '50',
      HEADLESSKEY_RATE_LIMIT_WINDOW: '3600',
      HEADLESSKEY_CONSOLE: 'false',
      HEADLESSKEY_CONSOLE_PATH: '/ops/console/',
      HEADLESSKEY_CONSOLE_DIR: '/srv/console',
    });
    expect(config).toEqual({
      port: 9000,
      host: '0.0.0.0',
      namespace: 'my-custom_auth',
      version: 'v2',
      legacyNamespace: false,
      bodyLimit: 65536,
      trustedProxies: ['10.0.0.0/8', '192.0.2.1', '::1', 'fd00::/8'],
      commandTimeoutMs: 250,
      cors: { enabled: false, origins: ['https://app.example.com', 'http://localhost:3000'] },
      rateLimits: { public: undefined, sso: { max: 50, windowMs: 3600_000 } },
      console: { enabled: false, path: '/ops/console/', dir: '/srv/console' },
    });
  });

  it.each([
    ['HEADLESSKEY_REST_NAMESPACE', 'my/auth'],
    ['HEADLESSKEY_REST_NAMESPACE', '../admin'],
    ['HEADLESSKEY_REST_VERSION', 'v 1'],
    ['HEADLESSKEY_PORT', '70000'],
    ['HEADLESSKEY_LEGACY_NAMESPACE', 'maybe'],
    ['HEADLESSKEY_BODY_LIMIT', '16k'],
    ['HEADLESSKEY_TRUSTED_PROXIES', '10.0.0.0/33'],
    ['HEADLESSKEY_TRUSTED_PROXIES', '10.0.0.1, proxy.local'],
    ['HEADLESSKEY_TRUSTED_PROXIES', '10.0.0.0/8/1'],
    ['HEADLESSKEY_TRUSTED_PROXIES', '::1/129'],
    ['HEADLESSKEY_CORS', 'sometimes'],
    ['HEADLESSKEY_CONSOLE_PATH', 'admin'],
    ['HEADLESSKEY_CONSOLE_PATH', '/admin'],
    ['HEADLESSKEY_CONSOLE_PATH', '/wp-json/'],
    ['HEADLESSKEY_CONSOLE_PATH', '/a/../b/'],
    ['HEADLESSKEY_RATE_LIMIT', '-1'],
    ['HEADLESSKEY_RATE_LIMIT_WINDOW', '0'],
    ['HEADLESSKEY_RATE_LIMIT_WINDOW', '3601'],
    // Only an exact origin can match the `Origin` header: no wildcard, path, slash, upper case or default port.
    ['HEADLESSKEY_CORS_ORIGINS', '*'],
    ['HEADLESSKEY_CORS_ORIGINS', 'null'],
    ['HEADLESSKEY_CORS_ORIGINS', 'app.example.com'],
    ['HEADLESSKEY_CORS_ORIGINS', 'https://app.example.com/'],
    ['HEADLESSKEY_CORS_ORIGINS', 'https://app.example.com/login'],
    ['HEADLESSKEY_CORS_ORIGINS', 'https://App.example.com'],
    ['HEADLESSKEY_CORS_ORIGINS', 'https://app.example.com:443'],
    ['HEADLESSKEY_CORS_ORIGINS', 'ftp://app.example.com'],
    ['HEADLESSKEY_CORS_ORIGINS', 'https://*.example.com'],
  ])('refuses %s=%s with an error naming the variable', (name, value) => {
    expect(() => readGatewayConfig({ [name]: value })).toThrow(ConfigError);
    expect(() => readGatewayConfig({ [name]: value })).toThrow(name);
  });
});
