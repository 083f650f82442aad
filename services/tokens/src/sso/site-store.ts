import type { Sql } from '@headlesskey/platform';
import type { SiteConfig, SiteRow } from './site.js';

const iso = (column: string) => `to_char(${column} at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') as ${column}`;

const ROW = `site_key, id, secret, issuer, audience, verification, algorithm, hs256_secret, public_key, jwks_url,
  provision_users, link_by_email, default_role, ${iso('created_at')}, ${iso('updated_at')}`;

const CONFIG_COLUMNS = [
  'issuer',
  'audience',
  'verification',
  'algorithm',
  'hs256_secret',
  'public_key',
  'jwks_url',
  'provision_users',
  'link_by_email',
  'default_role',
] as const satisfies readonly (keyof SiteConfig)[];

const configValues = (config: SiteConfig) => CONFIG_COLUMNS.map((column) => config[column]);

/** Inserts a site; `undefined` when its key is taken. */
export async function insertSite(
  tx: Sql,
  site: { site_key: string; id: string; secret: string; config: SiteConfig },
): Promise<SiteRow | undefined> {
  const rows = await tx.execute<SiteRow[]>(
    `insert into sso_sites (site_key, id, secret, ${CONFIG_COLUMNS.join(', ')})
     values (?, ?, ?, ${CONFIG_COLUMNS.map(() => '?').join(', ')})
     on conflict (site_key) do nothing returning ${ROW}`,
    [site.site_key, site.id, site.secret, ...configValues(site.config)],
  );
  return rows[0];
}

export function listSites(tx: Sql): Promise<SiteRow[]> {
  return tx.execute<SiteRow[]>(`select ${ROW} from sso_sites order by site_key`);
}

export async function findSite(tx: Sql, siteKey: string): Promise<SiteRow | undefined> {
  const [row] = await tx.execute<SiteRow[]>(`select ${ROW} from sso_sites where site_key = ?`, [siteKey]);
  return row;
}

/** Replaces a site's whole configuration (already merged with what was stored and checked). */
export async function updateSite(tx: Sql, siteKey: string, config: SiteConfig): Promise<SiteRow | undefined> {
  const [row] = await tx.execute<SiteRow[]>(
    `update sso_sites set ${CONFIG_COLUMNS.map((c) => `${c} = ?`).join(', ')}, updated_at = clock_timestamp()
     where site_key = ? returning ${ROW}`,
    [...configValues(config), siteKey],
  );
  return row;
}

export async function deleteSite(tx: Sql, siteKey: string): Promise<boolean> {
  const rows = await tx.execute('delete from sso_sites where site_key = ? returning site_key', [siteKey]);
  return rows.length > 0;
}

/** Replaces the shared secret; `false` when no site has the key. */
export async function replaceSecret(tx: Sql, siteKey: string, secret: string): Promise<boolean> {
  const rows = await tx.execute('update sso_sites set secret = ?, updated_at = clock_timestamp() where site_key = ? returning site_key', [
    secret,
    siteKey,
  ]);
  return rows.length > 0;
}
