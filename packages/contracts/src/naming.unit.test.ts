import { describe, expect, it } from 'vitest';
import { HOOK_NAMES } from './hooks.js';
import { INSTANCE_PATTERN, names } from './naming.js';

describe('names', () => {
  it('builds every subject, stream, bucket, consumer and database of the default instance', () => {
    const n = names('hk');
    expect(n.instance).toBe('hk');
    expect(n.command('identity', 'register')).toBe('hk.cmd.identity.register');
    expect(n.commands('tokens')).toBe('hk.cmd.tokens.*');
    expect(n.replicaCommand('tokens', 'r1', 'refresh')).toBe('hk.cmd.tokens.r1.refresh');
    expect(n.replicaCommands('tokens', 'r1')).toBe('hk.cmd.tokens.r1.*');
    expect(n.event('identity', 'user.registered')).toBe('hk.evt.identity.user.registered');
    expect(n.events).toBe('hk.evt.>');
    expect(n.deadLetter('hk_audit')).toBe('hk.dlq.hk_audit');
    expect(HOOK_NAMES.map((hook) => n.hook(hook))).toEqual(['hk.hook.token.claims', 'hk.hook.register.validate', 'hk.hook.login.allow']);
    expect(n.eventStream).toBe('HK_EVENTS');
    expect(n.settingsBucket).toBe('hk_settings');
    expect(n.rateLimitBucket).toBe('hk_rate_limits');
    expect(n.idempotencyBucket).toBe('hk_idempotency');
    expect(n.consumer('webhooks')).toBe('hk_webhooks');
    expect(n.consumer('tokens', 'users')).toBe('hk_tokens_users');
    expect(n.database('identity')).toBe('hk_identity');
    expect(n.databases).toEqual(['hk_identity', 'hk_tokens', 'hk_audit', 'hk_webhooks']);
    expect(n.buckets).toEqual(['hk_settings', 'hk_rate_limits', 'hk_idempotency']);
  });

  it('prefixes every name with the instance, so two instances share nothing', () => {
    const all = (instance: string) => {
      const n = names(instance);
      return [
        n.command('identity', 'login'),
        n.commands('identity'),
        n.replicaCommands('identity', 'r1'),
        n.event('tokens', 'token.issued'),
        n.events,
        n.deadLetter('audit'),
        n.hook('login.allow'),
        n.settingsBucket,
        n.rateLimitBucket,
        n.idempotencyBucket,
        n.consumer('audit'),
        n.consumer('tokens', 'users'),
        n.database('tokens'),
      ];
    };
    for (const name of all('site_b2')) expect(name.startsWith('site_b2')).toBe(true);
    expect(names('site_b2').eventStream).toBe('SITE_B2_EVENTS');
    const a = new Set(all('site_a'));
    for (const name of all('site_b')) expect(a.has(name)).toBe(false);
  });

  it.each(['', 'HK', '1hk', '_hk', 'hk-1', 'hk.1', 'hk*', 'hk>', `a${'b'.repeat(31)}`])('refuses the instance name %j', (instance) => {
    expect(INSTANCE_PATTERN.test(instance)).toBe(false);
    expect(() => names(instance)).toThrow(`instance name must match ${INSTANCE_PATTERN}, got "${instance}"`);
  });

  it('accepts names from one to 31 characters', () => {
    expect(names('a').instance).toBe('a');
    expect(names(`a${'b'.repeat(30)}`).eventStream).toBe(`A${'B'.repeat(30)}_EVENTS`);
  });
});
