import { type Static, Type } from '@sinclair/typebox';
import { TokenReply } from '../http/replies.js';
import { PATTERNS, Text } from '../strings.js';
import { RequestContext } from '../user.js';
import { defineCommand, READ_ONLY } from './define.js';

/** A connected site's name in URLs and exchange requests: lower case, digits, `-`, `_`, `.`. */
export const SITE_KEY_PATTERN = PATTERNS.siteKey.pattern;
export const SiteKey = Type.String({ pattern: SITE_KEY_PATTERN });

/** How a connected site's own tokens are verified: its HS256 secret, a PEM public key, or its JWKS URL. */
export const SsoVerification = Type.Union([Type.Literal('hs256'), Type.Literal('public_key'), Type.Literal('jwks')]);
export type SsoVerification = Static<typeof SsoVerification>;

export const SsoAlgorithm = Type.Union([Type.Literal('HS256'), Type.Literal('RS256'), Type.Literal('ES256')]);
export type SsoAlgorithm = Static<typeof SsoAlgorithm>;

/** Roles a provisioned account may start with: never `administrator`. */
export const SsoDefaultRole = Type.Union([
  Type.Literal('subscriber'),
  Type.Literal('contributor'),
  Type.Literal('author'),
  Type.Literal('editor'),
]);
export type SsoDefaultRole = Static<typeof SsoDefaultRole>;

const Issuer = Text({ minLength: 1, maxLength: 2048 });
const Audience = Type.Union([Text({ minLength: 1, maxLength: 2048 }), Type.Null()]);
/** Checked for strength by the tokens service (at least 32 bytes), never shown again. */
const Hs256Secret = Text({ minLength: 1, maxLength: 1024 });
const PublicKeyPem = Text({ minLength: 1, maxLength: 10_000 });
const JwksUrl = Text({ minLength: 1, maxLength: 2048 });

/**
 * One object rather than a union per method, so a missing or misplaced field gets a message
 * naming it: the tokens service checks which fields the chosen `verification` needs.
 */
const SiteFields = {
  issuer: Issuer,
  audience: Type.Optional(Audience),
  verification: SsoVerification,
  /** For `public_key` it must match the key (RSA: RS256, P-256: ES256); required for `jwks`. */
  algorithm: Type.Optional(SsoAlgorithm),
  hs256_secret: Type.Optional(Hs256Secret),
  public_key: Type.Optional(PublicKeyPem),
  jwks_url: Type.Optional(JwksUrl),
  provision_users: Type.Optional(Type.Boolean()),
  link_by_email: Type.Optional(Type.Boolean()),
  default_role: Type.Optional(SsoDefaultRole),
};

export const CreateSsoSiteBody = Type.Object({ site_key: SiteKey, ...SiteFields });
export type CreateSsoSiteBody = Static<typeof CreateSsoSiteBody>;

export const UpdateSsoSiteBody = Type.Partial(Type.Object(SiteFields));
export type UpdateSsoSiteBody = Static<typeof UpdateSsoSiteBody>;

/** A site as the admin API shows it: never the shared secret, never its HS256 secret. */
export const SsoSiteView = Type.Object({
  site_key: Type.String(),
  issuer: Type.String(),
  audience: Type.Union([Type.String(), Type.Null()]),
  verification: SsoVerification,
  algorithm: SsoAlgorithm,
  public_key: Type.Union([Type.String(), Type.Null()]),
  jwks_url: Type.Union([Type.String(), Type.Null()]),
  provision_users: Type.Boolean(),
  link_by_email: Type.Boolean(),
  default_role: SsoDefaultRole,
  created_at: Type.String(),
  updated_at: Type.String(),
});
export type SsoSiteView = Static<typeof SsoSiteView>;

/** The answer to a creation: the only time the shared `secret` is shown. */
export const CreatedSsoSite = Type.Composite([SsoSiteView, Type.Object({ secret: Type.String() })]);
export type CreatedSsoSite = Static<typeof CreatedSsoSite>;

const ByKey = Type.Object({ site_key: SiteKey });

export const createSite = defineCommand('tokens', 'createSsoSite', CreateSsoSiteBody, CreatedSsoSite);
export const listSites = defineCommand(
  'tokens',
  'listSsoSites',
  Type.Object({}),
  Type.Object({ sites: Type.Array(SsoSiteView) }),
  READ_ONLY,
);
export const getSite = defineCommand('tokens', 'getSsoSite', ByKey, SsoSiteView, READ_ONLY);
export const updateSite = defineCommand('tokens', 'updateSsoSite', Type.Composite([ByKey, UpdateSsoSiteBody]), SsoSiteView);
export const deleteSite = defineCommand(
  'tokens',
  'deleteSsoSite',
  ByKey,
  Type.Object({ site_key: Type.String(), deleted: Type.Literal(true) }),
);
/** A new shared secret, shown once; the old one stops being accepted at once. */
export const rotateSiteSecret = defineCommand(
  'tokens',
  'rotateSsoSiteSecret',
  ByKey,
  Type.Object({ site_key: Type.String(), secret: Type.String() }),
);

/**
 * `POST /sso/exchange`, either form: with `timestamp` (the headers form) the signature is over
 * `"{timestamp}.{token}"`, without it over the token alone. Fields are only bounded here: an
 * unknown site or a malformed signature is answered with its own SSO code.
 */
export const exchange = defineCommand(
  'tokens',
  'ssoExchange',
  Type.Object({
    site_key: Text({ minLength: 1, maxLength: 128 }),
    token: Text({ minLength: 1, maxLength: 8192 }),
    signature: Text({ minLength: 1, maxLength: 256 }),
    timestamp: Type.Optional(Text({ minLength: 1, maxLength: 32 })),
    context: RequestContext,
  }),
  TokenReply,
);
