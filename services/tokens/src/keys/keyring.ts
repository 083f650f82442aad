import type { JsonWebKey } from 'node:crypto';
import { DomainError, type Store } from '@headlesskey/platform';
import { type Algorithm, fromStored, generateMaterial, type KeyMaterial, type StoredMaterial } from './key-material.js';

interface Entry extends KeyMaterial {
  generated: boolean;
  retired: boolean;
  /** Epoch seconds after which a retired key verifies nothing. */
  verifyUntil?: number;
}

interface KeyRow {
  kid: string;
  alg: Algorithm;
  material: StoredMaterial;
  retired: boolean;
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
      `select kid, alg, material, retired_at is not null as retired, extract(epoch from verify_until)::float8 as verify_until
         from signing_keys where verify_until is null or verify_until > now()`,
    );
    const next = new Map<string, Entry>(this.configured.map((k) => [k.kid, { ...k, generated: false, retired: false }]));
    for (const r of rows) {
      next.set(r.kid, {
        ...fromStored(r.kid, r.alg, r.material),
        generated: true,
        retired: r.retired,
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
    const live = this.liveGenerated(alg);
    if (live) return live;
    await this.insertGenerated(alg);
    await this.reload();
    const created = this.liveGenerated(alg);
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

  /** Public keys for `/.well-known/jwks.json`: no HMAC secret, no private part. */
  publicKeys(): JsonWebKey[] {
    const now = Date.now() / 1000;
    return [...this.entries.values()]
      .filter((e) => e.publicJwk && (e.verifyUntil ?? Number.POSITIVE_INFINITY) > now)
      .map((e) => e.publicJwk!);
  }

  /**
   * Replaces the generated key of `alg`. The old one stops signing now and keeps verifying for
   * `overlapSeconds`, until the last token it signed (and its refresh window) is over.
   */
  async rotate(alg: Algorithm, overlapSeconds: number): Promise<{ kid: string; retired: string[] }> {
    if (this.configured.some((k) => k.alg === alg)) {
      throw new DomainError('headlesskey_forbidden', `The ${alg} key comes from the environment; replace it there to rotate it.`);
    }
    const retired = await this.store.db.transaction(async (tx) => {
      const rows = await tx.execute<{ kid: string }[]>(
        `update signing_keys set retired_at = now(), verify_until = now() + make_interval(secs => ?)
         where alg = ? and origin = 'generated' and retired_at is null returning kid`,
        [overlapSeconds, alg],
      );
      const { kid, stored } = generateMaterial(alg);
      await tx.execute("insert into signing_keys (kid, alg, material, origin) values (?, ?, ?::jsonb, 'generated')", [
        kid,
        alg,
        JSON.stringify(stored),
      ]);
      return rows.map((r) => r.kid);
    });
    this.announce();
    await this.reload();
    const live = this.liveGenerated(alg);
    if (!live) throw new Error('rotation left no live key');
    return { kid: live.kid, retired };
  }

  private liveGenerated(alg: Algorithm): Entry | undefined {
    return [...this.entries.values()].find((e) => e.generated && !e.retired && e.alg === alg);
  }

  private async insertGenerated(alg: Algorithm): Promise<void> {
    const { kid, stored } = generateMaterial(alg);
    // Replicas racing: the unique index on live generated keys lets exactly one insert land.
    await this.store.db.execute(
      "insert into signing_keys (kid, alg, material, origin) values (?, ?, ?::jsonb, 'generated') on conflict do nothing",
      [kid, alg, JSON.stringify(stored)],
    );
    this.announce();
  }
}
