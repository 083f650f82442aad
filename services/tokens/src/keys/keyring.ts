import type { JsonWebKey } from 'node:crypto';
import { DomainError, type Store } from '@headlesskey/platform';
import { type Algorithm, fromStored, generateMaterial, type KeyMaterial, type StoredMaterial } from './key-material.js';

interface Entry extends KeyMaterial {
  /** Kept in the store (generated or imported), not given in the environment. */
  stored: boolean;
  retired: boolean;
  /** Published and verifying, signing from the next rotation. */
  staged: boolean;
  /** Epoch seconds after which a retired key verifies nothing. */
  verifyUntil?: number;
}

interface KeyRow {
  kid: string;
  alg: Algorithm;
  material: StoredMaterial;
  retired: boolean;
  staged: boolean;
  verify_until: number | null;
}

/** A kid nobody knows reloads the store at most this often, so junk kids cannot hammer it. */
const RELOAD_AFTER_MISS_MS = 1000;

/**
 * Every key that may still verify a token, by kid. Keys configured in the environment sign for
 * their algorithm; any other algorithm signs with a key generated once and kept in the store.
 * A replica that generates or rotates a key announces it before it signs with it, so the other
 * replicas reload before any token of the new key can reach them.
 */
export class Keyring {
  private entries = new Map<string, Entry>();
  private lastReload = 0;
  /** The reload in progress, if any: reloads run one after another, so none lands stale. */
  private loading: Promise<void> = Promise.resolve();

  private constructor(
    private readonly store: Store,
    private readonly configured: readonly KeyMaterial[],
    private readonly announce: () => void,
  ) {}

  /** `announce` tells every replica (this one too) to reload: called after a key is added. */
  static async open(store: Store, configured: readonly KeyMaterial[], announce: () => void): Promise<Keyring> {
    const ring = new Keyring(store, configured, announce);
    await ring.reload();
    return ring;
  }

  /** Reads the store again, after any reload already under way. */
  reload(): Promise<void> {
    const next = this.loading.then(() => this.load());
    this.loading = next.catch(() => undefined);
    return next;
  }

  private async load(): Promise<void> {
    const rows = await this.store.db.execute<KeyRow[]>(
      `select kid, alg, material, retired_at is not null as retired, staged, extract(epoch from verify_until)::float8 as verify_until
         from signing_keys where verify_until is null or verify_until > now()`,
    );
    const next = new Map<string, Entry>(this.configured.map((k) => [k.kid, { ...k, stored: false, retired: false, staged: false }]));
    for (const r of rows) {
      next.set(r.kid, {
        ...fromStored(r.kid, r.alg, r.material),
        stored: true,
        retired: r.retired,
        staged: r.staged,
        verifyUntil: r.verify_until ?? undefined,
      });
    }
    this.entries = next;
    this.lastReload = Date.now();
  }

  /** The key that signs new tokens of `alg`, generated and kept on first use. */
  async signingKey(alg: Algorithm): Promise<KeyMaterial> {
    const configured = this.configured.find((k) => k.alg === alg);
    if (configured) return configured;
    // An announced rotation being loaded: sign with its new key, not the retired one.
    await this.loading;
    const live = this.liveStored(alg);
    if (live) return live;
    await this.insertGenerated(alg);
    await this.reload();
    const created = this.liveStored(alg);
    if (!created) throw new Error(`no ${alg} signing key after generating one`);
    return created;
  }

  /** The key a token's kid names, if it may still verify; a token never brings its own key. */
  async find(kid: string): Promise<KeyMaterial | undefined> {
    // An announced key being loaded verifies as soon as the load is done.
    await this.loading;
    let entry = this.entries.get(kid);
    if (!entry && Date.now() - this.lastReload > RELOAD_AFTER_MISS_MS) {
      await this.reload();
      entry = this.entries.get(kid);
    }
    if (entry?.verifyUntil !== undefined && entry.verifyUntil * 1000 <= Date.now()) return undefined;
    return entry;
  }

  /** The kid and algorithm of each key given in the environment: never its material. */
  environmentKeys(): { kid: string; alg: Algorithm }[] {
    return this.configured.map(({ kid, alg }) => ({ kid, alg }));
  }

  /** Public keys for `/.well-known/jwks.json`: no HMAC secret, no private part. */
  publicKeys(): JsonWebKey[] {
    const now = Date.now() / 1000;
    return [...this.entries.values()]
      .filter((e) => e.publicJwk && (e.verifyUntil ?? Number.POSITIVE_INFINITY) > now)
      .map((e) => e.publicJwk!);
  }

  /**
   * Replaces the live key of `alg` with its staged (imported) key, or else a new generated one.
   * The old one stops signing now and keeps verifying for `overlapSeconds`, until the last token it
   * signed (and its refresh window) is over.
   */
  async rotate(alg: Algorithm, overlapSeconds: number): Promise<{ kid: string; retired: string[] }> {
    this.refuseConfigured(alg, 'rotate it');
    const retired = await this.store.db.transaction(async (tx) => {
      const kids = await retireLive(tx, alg, overlapSeconds);
      const promoted = await tx.execute<{ kid: string }[]>(
        `update signing_keys set staged = false where kid = (
           select kid from signing_keys where alg = ? and staged and retired_at is null order by created_at desc limit 1
         ) returning kid`,
        [alg],
      );
      if (promoted.length === 0) {
        const { kid, stored } = generateMaterial(alg);
        await insertKey(tx, { kid, alg, stored, origin: 'generated', staged: false });
      }
      return kids;
    });
    await this.changed();
    const live = this.liveStored(alg);
    if (!live) throw new Error('rotation left no live key');
    return { kid: live.kid, retired };
  }

  /**
   * Keeps an administrator's key of `alg`. Activated, it signs now and the live key verifies for
   * `overlapSeconds`; otherwise it is published now and signs from the next rotation (a later
   * import staged for the same algorithm takes the place of an earlier one).
   */
  async import(key: { kid: string; alg: Algorithm; stored: StoredMaterial }, activate: boolean, overlapSeconds: number) {
    this.refuseConfigured(key.alg, 'use another');
    const retired = await this.store.db.transaction(async (tx) => {
      const known = await tx.execute<{ kid: string }[]>('select kid from signing_keys where kid = ?', [key.kid]);
      if (known.length > 0) {
        throw new DomainError('rest_invalid_param', undefined, {
          params: { private_key: `private_key is already kept as key ${key.kid}.` },
        });
      }
      const kids = activate ? await retireLive(tx, key.alg, overlapSeconds) : await retireStaged(tx, key.alg);
      await insertKey(tx, { ...key, origin: 'imported', staged: !activate });
      return kids;
    });
    await this.changed();
    return { retired, state: activate ? ('active' as const) : ('next' as const) };
  }

  private refuseConfigured(alg: Algorithm, doing: string): void {
    if (this.configured.some((k) => k.alg === alg)) {
      throw new DomainError('headlesskey_forbidden', `The ${alg} key comes from the environment; replace it there to ${doing}.`);
    }
  }

  /** Tells every replica a key changed, and reloads this one. */
  private async changed(): Promise<void> {
    this.announce();
    await this.reload();
  }

  private liveStored(alg: Algorithm): Entry | undefined {
    return [...this.entries.values()].find((e) => e.stored && !e.retired && !e.staged && e.alg === alg);
  }

  private async insertGenerated(alg: Algorithm): Promise<void> {
    const { kid, stored } = generateMaterial(alg);
    // Replicas racing: the unique index on live keys (one_live_key) lets exactly one insert land.
    await this.store.db.execute(
      "insert into signing_keys (kid, alg, material, origin) values (?, ?, ?::jsonb, 'generated') on conflict do nothing",
      [kid, alg, JSON.stringify(stored)],
    );
    this.announce();
  }
}

type Tx = Parameters<Parameters<Store['db']['transaction']>[0]>[0];

/** The live key of `alg` signs no more and verifies for `overlapSeconds`; answers its kid. */
async function retireLive(tx: Tx, alg: Algorithm, overlapSeconds: number): Promise<string[]> {
  const rows = await tx.execute<{ kid: string }[]>(
    `update signing_keys set retired_at = now(), verify_until = now() + make_interval(secs => ?)
     where alg = ? and origin <> 'configured' and retired_at is null and not staged returning kid`,
    [overlapSeconds, alg],
  );
  return rows.map((r) => r.kid);
}

/** A staged key replaced before it ever signed: it verifies nothing from now. */
async function retireStaged(tx: Tx, alg: Algorithm): Promise<string[]> {
  const rows = await tx.execute<{ kid: string }[]>(
    'update signing_keys set retired_at = now(), verify_until = now() where alg = ? and staged and retired_at is null returning kid',
    [alg],
  );
  return rows.map((r) => r.kid);
}

async function insertKey(
  tx: Tx,
  key: { kid: string; alg: Algorithm; stored: StoredMaterial; origin: 'generated' | 'imported'; staged: boolean },
): Promise<void> {
  await tx.execute('insert into signing_keys (kid, alg, material, origin, staged) values (?, ?, ?::jsonb, ?, ?)', [
    key.kid,
    key.alg,
    JSON.stringify(key.stored),
    key.origin,
    key.staged,
  ]);
}
