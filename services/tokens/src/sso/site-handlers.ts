import { randomUUID } from 'node:crypto';
import type { ssoCommands } from '@headlesskey/contracts';
import { checkTarget, DomainError, type Store } from '@headlesskey/platform';
import type { RemoteKeys } from './remote-token.js';
import { newSiteSecret } from './secret.js';
import { toSiteView } from './site.js';
import { type Checked, checkSiteConfig, patchedInput } from './site-config.js';
import { deleteSite, findSite, insertSite, listSites, replaceSecret, updateSite } from './site-store.js';

interface ByKey {
  site_key: string;
}

const notFound = () => new DomainError('headlesskey_not_found', 'No connected site has that key.');

function configOf(checked: Checked) {
  if (!checked.ok) throw new DomainError('rest_invalid_param', undefined, { params: checked.params });
  return checked.config;
}

/**
 * The outbound guard on a JWKS URL about to be kept: every address its host resolves to now. It
 * runs again at every fetch, where what the name resolves to then is what counts.
 */
async function guardJwksUrl(keys: RemoteKeys, url: string | null | undefined): Promise<void> {
  if (url === null || url === undefined) return;
  const verdict = await checkTarget(url, keys.guard, 'jwks_url');
  if (!verdict.ok) throw new DomainError('rest_invalid_param', undefined, { params: { jwks_url: verdict.reason } });
}

/** The admin API of connected sites. A shared secret is made here and shown once: at creation or rotation. */
export function siteHandlers(store: Store, keys: RemoteKeys) {
  return {
    async create({ site_key, ...input }: ssoCommands.CreateSsoSiteBody): Promise<ssoCommands.CreatedSsoSite> {
      const config = configOf(checkSiteConfig(input));
      await guardJwksUrl(keys, config.jwks_url);
      const secret = newSiteSecret();
      const row = await insertSite(store.db, { site_key, id: randomUUID(), secret, config });
      if (!row) throw new DomainError('rest_invalid_param', undefined, { params: { site_key: 'site_key is already connected.' } });
      return { ...toSiteView(row), secret };
    },
    async list(): Promise<{ sites: ssoCommands.SsoSiteView[] }> {
      return { sites: (await listSites(store.db)).map(toSiteView) };
    },
    async get({ site_key }: ByKey): Promise<ssoCommands.SsoSiteView> {
      const row = await findSite(store.db, site_key);
      if (!row) throw notFound();
      return toSiteView(row);
    },
    async update({ site_key, ...patch }: ByKey & ssoCommands.UpdateSsoSiteBody): Promise<ssoCommands.SsoSiteView> {
      // Checked before the row is locked: no transaction waits on a name server. A URL kept
      // earlier was checked then, and is checked again at each fetch.
      await guardJwksUrl(keys, patch.jwks_url);
      // Read, merge and write under the row's lock, so two PATCHes never mix their halves.
      const row = await store.db.transaction(async (tx) => {
        await tx.execute('select 1 from sso_sites where site_key = ? for update', [site_key]);
        const stored = await findSite(tx, site_key);
        if (!stored) throw notFound();
        return updateSite(tx, site_key, configOf(checkSiteConfig(patchedInput(stored, patch))));
      });
      if (!row) throw notFound();
      keys.forget(site_key);
      return toSiteView(row);
    },
    async rotateSecret({ site_key }: ByKey): Promise<{ site_key: string; secret: string }> {
      const secret = newSiteSecret();
      if (!(await replaceSecret(store.db, site_key, secret))) throw notFound();
      return { site_key, secret };
    },
    async remove({ site_key }: ByKey): Promise<{ site_key: string; deleted: true }> {
      if (!(await deleteSite(store.db, site_key))) throw notFound();
      keys.forget(site_key);
      return { site_key, deleted: true };
    },
  };
}
