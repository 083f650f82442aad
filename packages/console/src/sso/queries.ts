import type { ssoCommands } from '@headlesskey/contracts';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useApi } from '../api/api.js';

/** The API's own shapes, as types only: nothing of the contracts' schemas reaches the bundle. */
export type Verification = ssoCommands.SsoVerification;
export type Algorithm = ssoCommands.SsoAlgorithm;
export type DefaultRole = ssoCommands.SsoDefaultRole;
/** A connected site as the API shows it: never the shared secret, never its HS256 secret. */
export type Site = ssoCommands.SsoSiteView;
export type SiteBody = Partial<Omit<Site, 'created_at' | 'updated_at'>> & { hs256_secret?: string };

const ALL = ['sso-sites'];
const one = (key: string) => ['sso-sites', key];
const path = (key: string) => `/sso/sites/${encodeURIComponent(key)}`;

export function useSites() {
  const api = useApi();
  return useQuery({ queryKey: ALL, queryFn: () => api.get<{ sites: Site[] }>('/sso/sites'), select: (reply) => reply.sites });
}

export function useSite(key: string) {
  const api = useApi();
  return useQuery({ queryKey: one(key), queryFn: () => api.get<Site>(path(key)) });
}

export function useCreateSite() {
  const api = useApi();
  const queries = useQueryClient();
  return useMutation({
    mutationFn: (body: SiteBody) => api.send<Site & { secret: string }>('POST', '/sso/sites', body),
    onSuccess: () => queries.invalidateQueries({ queryKey: ALL }),
  });
}

export function useUpdateSite(key: string) {
  const api = useApi();
  const queries = useQueryClient();
  return useMutation({
    mutationFn: (patch: SiteBody) => api.send<Site>('PATCH', path(key), patch),
    onSuccess: (site) => {
      queries.setQueryData(one(key), site);
      void queries.invalidateQueries({ queryKey: ALL, exact: true });
    },
  });
}

export function useDeleteSite(key: string) {
  const api = useApi();
  const queries = useQueryClient();
  return useMutation({
    mutationFn: () => api.send('DELETE', path(key)),
    onSuccess: () => {
      queries.removeQueries({ queryKey: one(key) });
      void queries.invalidateQueries({ queryKey: ALL, exact: true });
    },
  });
}

/** The old shared secret stops being accepted at once: the site must be given the new one. */
export function useRotateSiteSecret(key: string) {
  const api = useApi();
  return useMutation({ mutationFn: () => api.send<{ site_key: string; secret: string }>('POST', `${path(key)}/rotate-secret`) });
}
