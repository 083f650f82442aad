import type { ssoCommands } from '@headlesskey/contracts';

type Verification = ssoCommands.SsoVerification;
type Algorithm = ssoCommands.SsoAlgorithm;
type DefaultRole = ssoCommands.SsoDefaultRole;

/** How a site's tokens are verified and what its users may do here: checked, ready to store. */
export interface SiteConfig {
  issuer: string;
  audience: string | null;
  verification: Verification;
  /** The one algorithm its tokens may use (RFC 8725: pinned per key, never read from the token). */
  algorithm: Algorithm;
  hs256_secret: string | null;
  /** SPKI PEM, as Node exports it. */
  public_key: string | null;
  jwks_url: string | null;
  provision_users: boolean;
  link_by_email: boolean;
  default_role: DefaultRole;
}

/** A connected site as stored, secrets included: never sent anywhere as it is. */
export interface SiteRow extends SiteConfig {
  site_key: string;
  /** Tells this site from an earlier one of the same key. */
  id: string;
  /** The shared secret of exchange signatures. */
  secret: string;
  created_at: string;
  updated_at: string;
}

/** What the admin API shows of a site: everything but its two secrets. */
export function toSiteView(row: SiteRow): ssoCommands.SsoSiteView {
  return {
    site_key: row.site_key,
    issuer: row.issuer,
    audience: row.audience,
    verification: row.verification,
    algorithm: row.algorithm,
    public_key: row.public_key,
    jwks_url: row.jwks_url,
    provision_users: row.provision_users,
    link_by_email: row.link_by_email,
    default_role: row.default_role,
    created_at: row.created_at,
    updated_at: row.updated_at,
  };
}
