import type { tokensCommands } from '@headlesskey/contracts';
import type { Static } from '@sinclair/typebox';
import type { Algorithm } from './key-material.js';

type KeyView = Static<typeof tokensCommands.KeyView>;
type KeyState = Static<typeof tokensCommands.KeyState>;

/** A row of `signing_keys` as the list reads it: no material. */
export interface KeyRow {
  kid: string;
  alg: Algorithm;
  origin: 'generated' | 'imported';
  staged: boolean;
  /** Epoch seconds. */
  created_at: number;
  retired_at: number | null;
  verify_until: number | null;
}

/**
 * Every key an administrator may want to see, newest first after those of the environment. A
 * stored key of an algorithm the environment gives signs nothing: the environment's key wins.
 */
export function keyList(environment: readonly { kid: string; alg: Algorithm }[], rows: readonly KeyRow[], now: number): KeyView[] {
  const fromEnvironment = new Set(environment.map((k) => k.alg));
  return [
    ...environment.map(
      (k): KeyView => ({ kid: k.kid, alg: k.alg, source: 'environment', state: 'active', created: null, verify_until: null }),
    ),
    ...rows.map(
      (r): KeyView => ({
        kid: r.kid,
        alg: r.alg,
        source: r.origin,
        state: stateOf(r, now, fromEnvironment.has(r.alg)),
        created: iso(r.created_at),
        verify_until: r.verify_until === null ? null : iso(r.verify_until),
      }),
    ),
  ];
}

function stateOf(row: KeyRow, now: number, overridden: boolean): KeyState {
  if (row.verify_until !== null && row.verify_until <= now) return 'retired';
  if (row.retired_at || overridden) return 'verifying_only';
  return row.staged ? 'next' : 'active';
}

const iso = (epochSeconds: number) => new Date(epochSeconds * 1000).toISOString();
