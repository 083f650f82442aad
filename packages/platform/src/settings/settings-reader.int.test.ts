import { DEFAULT_SETTINGS, type Settings } from '@headlesskey/contracts';
import { type KV, Kvm } from '@nats-io/kv';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { backendUrls, dropInstance, uniqueInstance } from '../../../../test/support/instance.js';
import { createLogger } from '../logging/logger.js';
import { type SettingsReader, watchSettings } from './settings-reader.js';

const names = uniqueInstance();
const { natsUrl } = backendUrls();
const logger = createLogger('test', 'silent');
const readers: SettingsReader[] = [];
let nc: NatsConnection;
let kv: KV;
let reader: SettingsReader;

async function startReader(): Promise<SettingsReader> {
  const started = await watchSettings(nc, { names, streamReplicas: 1 }, logger);
  readers.push(started);
  return started;
}

beforeAll(async () => {
  nc = await connect({ servers: natsUrl });
  reader = await startReader();
  kv = await new Kvm(nc).open(names.settingsBucket);
});

afterAll(async () => {
  await Promise.all(readers.map((r) => r.stop()));
  await nc?.close();
  await dropInstance(names);
});

const put = (key: string, value: unknown) => kv.put(key, JSON.stringify(value));
const putRaw = (key: string, text: string) => kv.put(key, text);

async function until(what: string, probe: () => boolean, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!probe()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting until ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/** Puts a valid marker after `change` and waits for it: the watcher delivers in order, so `change` was seen. */
let marker = 0;
async function settled(change: () => Promise<unknown>): Promise<Settings> {
  await change();
  marker = (marker % 50) + 1;
  const mark = 100 + marker;
  await put('ip_max_attempts', mark);
  await until(`the marker ${mark} is seen`, () => reader.current().ip_max_attempts === mark);
  return reader.current();
}

describe('watchSettings', () => {
  it('gives the defaults while the bucket is empty', () => {
    expect(reader.current()).toEqual(DEFAULT_SETTINGS);
  });

  it('shows a valid value soon after it is put', async () => {
    await put('token_ttl', 7200);
    await until('token_ttl is 7200', () => reader.current().token_ttl === 7200);
    await put('algorithm', 'RS256');
    await put('registration', false);
    await until('the algorithm and registration are seen', () => reader.current().algorithm === 'RS256' && !reader.current().registration);
    expect(reader.current()).toMatchObject({ token_ttl: 7200, algorithm: 'RS256', registration: false, window: DEFAULT_SETTINGS.window });
  });

  it.each([
    ['below its minimum', 'token_ttl', 1800, '59'],
    ['above its maximum', 'refresh_grace', 120, '301'],
    ['of the wrong type', 'max_attempts', 9, '"five"'],
    ['not an integer', 'lockout', 1200, '90.5'],
    ['not in its list', 'device_policy', 'evict_oldest', '"evict_newest"'],
    ['not JSON at all', 'window', 1800, '{window'],
  ] as const)('falls back to the default for a value %s', async (_why, name, valid, invalid) => {
    await put(name, valid);
    await until(`${name} takes a valid value`, () => reader.current()[name] === valid);
    const after = await settled(() => putRaw(name, invalid));
    expect(after[name]).toBe(DEFAULT_SETTINGS[name]);
  });

  it('takes the hook policies as one object, and falls back to their defaults when any part is wrong', async () => {
    const valid = { 'login.allow': { timeout_ms: 250, fail: 'open' } };
    await put('hooks', valid);
    await until('the hook policy is seen', () => reader.current().hooks['login.allow']?.timeout_ms === 250);
    expect(reader.current().hooks).toEqual(valid);
    for (const invalid of [
      { 'login.allow': { timeout_ms: 250, fail: 'maybe' } },
      { 'login.allow': { timeout_ms: 5, fail: 'open' } },
      { 'login.allow': { timeout_ms: 250 } },
      { 'user.delete': { timeout_ms: 250, fail: 'open' } },
    ]) {
      await put('hooks', valid);
      await until('the valid policy is back', () => reader.current().hooks['login.allow']?.timeout_ms === 250);
      const after = await settled(() => put('hooks', invalid));
      expect(after.hooks).toEqual(DEFAULT_SETTINGS.hooks);
    }
  });

  it('falls back to the default when a key is deleted or purged', async () => {
    await put('password_min_length', 20);
    await put('log_retention_days', 30);
    await until('both are seen', () => reader.current().password_min_length === 20 && reader.current().log_retention_days === 30);
    const after = await settled(async () => {
      await kv.delete('password_min_length');
      await kv.purge('log_retention_days');
    });
    expect(after.password_min_length).toBe(DEFAULT_SETTINGS.password_min_length);
    expect(after.log_retention_days).toBe(DEFAULT_SETTINGS.log_retention_days);
  });

  it('ignores keys that are not settings', async () => {
    const after = await settled(() => put('favourite_colour', 'blue'));
    expect(after).not.toHaveProperty('favourite_colour');
    expect(Object.keys(after).sort()).toEqual(Object.keys(DEFAULT_SETTINGS).sort());
  });

  it('starts a second reader with the values already in the bucket', async () => {
    await put('device_limit', 3);
    await put('window', 600);
    await kv.delete('token_ttl');
    await until('the first reader sees them', () => reader.current().device_limit === 3 && reader.current().window === 600);
    const second = await startReader();
    expect(second.current()).toEqual(reader.current());
    expect(second.current()).toMatchObject({ device_limit: 3, window: 600, token_ttl: DEFAULT_SETTINGS.token_ttl });
    await second.stop();
  });

  it('starts on a bucket whose only entries are deletions', async () => {
    const other = uniqueInstance();
    try {
      const bucket = await new Kvm(nc).create(other.settingsBucket, { history: 5 });
      await bucket.put('token_ttl', '600');
      await bucket.delete('token_ttl');
      const fresh = await watchSettings(nc, { names: other, streamReplicas: 1 }, logger);
      expect(fresh.current()).toEqual(DEFAULT_SETTINGS);
      await fresh.stop();
    } finally {
      await dropInstance(other);
    }
  });
});
