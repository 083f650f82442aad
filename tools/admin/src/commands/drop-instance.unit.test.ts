import { describe, expect, it } from 'vitest';
import { UsageError } from '../command.js';
import { parseArgs } from './drop-instance.js';

describe('drop-instance arguments', () => {
  it('take one instance name, and --yes anywhere', () => {
    expect(parseArgs(['alpha'])).toEqual({ instance: 'alpha', yes: false });
    expect(parseArgs(['--yes', 'alpha'])).toEqual({ instance: 'alpha', yes: true });
  });

  it('refuse no name, two names, an unknown option and a name no instance can have', () => {
    for (const args of [[], ['--yes'], ['alpha', 'beta'], ['alpha', '--force'], ['Alpha'], ['hk; drop'], ['a'.repeat(32)]]) {
      expect(() => parseArgs(args)).toThrow(UsageError);
    }
  });
});
