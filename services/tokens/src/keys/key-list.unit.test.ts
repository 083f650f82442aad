import { describe, expect, it } from 'vitest';
import { type KeyRow, keyList } from './key-list.js';

const NOW = 1_800_000_000;
const row = (over: Partial<KeyRow>): KeyRow => ({
  kid: 'k',
  alg: 'ES256',
  origin: 'generated',
  staged: false,
  created_at: NOW - 100,
  retired_at: null,
  verify_until: null,
  ...over,
});

describe('keyList', () => {
  it('names each key by the state it is in now', () => {
    const keys = keyList(
      [],
      [
        row({ kid: 'live' }),
        row({ kid: 'next', origin: 'imported', staged: true }),
        row({ kid: 'overlap', retired_at: NOW - 10, verify_until: NOW + 10 }),
        row({ kid: 'gone', retired_at: NOW - 20, verify_until: NOW }),
      ],
      NOW,
    );
    expect(keys.map((k) => [k.kid, k.source, k.state])).toEqual([
      ['live', 'generated', 'active'],
      ['next', 'imported', 'next'],
      ['overlap', 'generated', 'verifying_only'],
      ['gone', 'generated', 'retired'],
    ]);
    expect(keys[2]).toMatchObject({
      created: new Date((NOW - 100) * 1000).toISOString(),
      verify_until: new Date((NOW + 10) * 1000).toISOString(),
    });
  });

  it('puts keys of the environment first, and a stored key of their algorithm signs nothing', () => {
    const keys = keyList([{ kid: 'env', alg: 'HS256' }], [row({ kid: 'stored', alg: 'HS256' })], NOW);
    expect(keys).toEqual([
      { kid: 'env', alg: 'HS256', source: 'environment', state: 'active', created: null, verify_until: null },
      expect.objectContaining({ kid: 'stored', state: 'verifying_only' }),
    ]);
  });
});
