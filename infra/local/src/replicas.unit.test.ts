import { ConfigError } from '@headlesskey/platform';
import { describe, expect, it } from 'vitest';
import { replicaCounts } from './replicas.js';

describe('replicaCounts', () => {
  it('runs one of each by default', () => {
    expect(replicaCounts({})).toEqual({ identity: 1, tokens: 1, audit: 1, webhooks: 1, gateway: 1 });
  });

  it('takes HEADLESSKEY_REPLICAS for every service behind the bus, and a per-service count over it', () => {
    expect(replicaCounts({ HEADLESSKEY_REPLICAS: '2', HEADLESSKEY_REPLICAS_TOKENS: '3' })).toEqual({
      identity: 2,
      tokens: 3,
      audit: 2,
      webhooks: 2,
      gateway: 1,
    });
  });

  it("puts a caller's counts over the environment", () => {
    expect(replicaCounts({ HEADLESSKEY_REPLICAS_TOKENS: '3' }, { tokens: 2 }).tokens).toBe(2);
  });

  it('refuses a count that is not a whole number from 1, and a second gateway', () => {
    expect(() => replicaCounts({ HEADLESSKEY_REPLICAS: '0' })).toThrow(ConfigError);
    expect(() => replicaCounts({ HEADLESSKEY_REPLICAS_AUDIT: 'two' })).toThrow(
      'HEADLESSKEY_REPLICAS_AUDIT: expected an integer from 1 to 16, got "two"',
    );
    expect(() => replicaCounts({ HEADLESSKEY_REPLICAS_GATEWAY: '2' })).toThrow('one gateway per port');
    expect(() => replicaCounts({}, { identity: 1.5 })).toThrow('services.identity');
  });
});
