import type { Algorithm, DefaultRole, Site, SiteBody, Verification } from './queries.js';

/** What the form holds: text as typed; the HS256 secret is never known, so empty means "keep it". */
export interface SiteDraft {
  site_key: string;
  issuer: string;
  audience: string;
  verification: Verification;
  algorithm: Exclude<Algorithm, 'HS256'>;
  hs256_secret: string;
  public_key: string;
  jwks_url: string;
  provision_users: boolean;
  link_by_email: boolean;
  default_role: DefaultRole;
}

/** The fields the form shows a problem next to; any other problem is shown under the form. */
export const SITE_FIELDS = [
  'site_key',
  'issuer',
  'audience',
  'verification',
  'algorithm',
  'hs256_secret',
  'public_key',
  'jwks_url',
  'default_role',
];

export function draftOf(site: Site | undefined): SiteDraft {
  return {
    site_key: site?.site_key ?? '',
    issuer: site?.issuer ?? '',
    audience: site?.audience ?? '',
    verification: site?.verification ?? 'hs256',
    // Chosen only for a JWKS, which takes RS256 or ES256.
    algorithm: site?.algorithm === 'ES256' ? 'ES256' : 'RS256',
    hs256_secret: '',
    public_key: site?.public_key ?? '',
    jwks_url: site?.jwks_url ?? '',
    provision_users: site?.provision_users ?? false,
    link_by_email: site?.link_by_email ?? false,
    default_role: site?.default_role ?? 'subscriber',
  };
}

/** The key material of the chosen verification, as typed; the API says what is missing or wrong. */
function method(d: SiteDraft): SiteBody {
  if (d.verification === 'hs256') return d.hs256_secret ? { hs256_secret: d.hs256_secret } : {};
  if (d.verification === 'public_key') return { public_key: d.public_key };
  return { jwks_url: d.jwks_url, algorithm: d.algorithm };
}

/** `POST /sso/sites`. */
export function createBody(d: SiteDraft): SiteBody {
  return {
    site_key: d.site_key.trim(),
    issuer: d.issuer,
    ...(d.audience ? { audience: d.audience } : {}),
    verification: d.verification,
    ...method(d),
    provision_users: d.provision_users,
    link_by_email: d.link_by_email,
    default_role: d.default_role,
  };
}

/** `PATCH /sso/sites/{key}`: what the draft changed; new key material whenever the verification changes. */
export function patchBody(site: Site, d: SiteDraft): SiteBody {
  const before = draftOf(site);
  const patch: SiteBody = {};
  if (d.issuer !== before.issuer) patch.issuer = d.issuer;
  if (d.audience !== before.audience) patch.audience = d.audience || null;
  for (const name of ['provision_users', 'link_by_email', 'default_role'] as const) {
    if (d[name] !== before[name]) Object.assign(patch, { [name]: d[name] });
  }
  const material = method(d);
  const switching = d.verification !== before.verification;
  const changed = Object.entries(material).some(([name, value]) => value !== before[name as keyof SiteDraft]);
  if (switching) patch.verification = d.verification;
  if (switching || changed) Object.assign(patch, material);
  return patch;
}
