import { createHash, type KeyObject, randomBytes } from 'node:crypto';
import type { Store } from '@headlesskey/platform';
import type { TokensConfig } from '../config.js';

export type Algorithm = 'HS256' | 'RS256' | 'ES256';

/** A key as the verifier sees it: the only algorithm it may be used with is its own. */
export interface VerificationKey {
  kid: string;
  alg: Algorithm;
  key: Uint8Array | KeyObject;
}

export interface Keyring {
  signing: VerificationKey;
  /** The key a token's `kid` names, or undefined: a token never brings its own key. */
  byKid(kid: string): VerificationKey | undefined;
}

/**
 * HS256 with the configured secret, else with a 256-bit secret generated on first start and
 * kept in the store, so tokens survive restarts and every replica signs alike.
 */
export async function loadKeyring(store: Store, config: TokensConfig): Promise<Keyring> {
  const signing = config.secretKey ? configuredKey(config.secretKey) : await generatedKey(store);
  const keys = new Map([[signing.kid, signing]]);
  return { signing, byKid: (kid) => keys.get(kid) };
}

function configuredKey(secret: Uint8Array): VerificationKey {
  // A kid derived from the secret: stable across replicas and restarts, and reveals nothing
  // that a signed token does not already.
  const kid = createHash('sha256').update('headlesskey-kid:').update(secret).digest('base64url').slice(0, 16);
  return { kid, alg: 'HS256', key: secret };
}

async function generatedKey(store: Store): Promise<VerificationKey> {
  const em = store.em.fork();
  const candidate = { kid: randomBytes(12).toString('base64url'), k: randomBytes(32).toString('base64url') };
  // Replicas starting together: the first insert wins and everyone reads the winner.
  await em.execute(
    `insert into signing_keys (kid, alg, material, origin)
     values (?, 'HS256', ?::jsonb, 'generated') on conflict do nothing`,
    [candidate.kid, JSON.stringify({ k: candidate.k })],
  );
  const [row] = await em.execute<{ kid: string; material: { k: string } }[]>(
    "select kid, material from signing_keys where origin = 'generated' and alg = 'HS256' and retired_at is null order by created_at limit 1",
  );
  if (!row) throw new Error('no signing key after generating one');
  return { kid: row.kid, alg: 'HS256', key: Buffer.from(row.material.k, 'base64url') };
}
