import type { UserView } from '@headlesskey/contracts';
import { SignJWT } from 'jose';
import type { KeyMaterial } from '../keys/key-material.js';
import { joseKey } from './jose-key.js';

export interface TokenClaimsInput {
  user: UserView;
  sessionId: string;
  jti: string;
  issuedAt: number;
  expiresAt: number;
  issuer: string;
  audience: string;
  /** A hook's claims, reserved names already dropped; the claims set here always win. */
  extra?: Record<string, unknown>;
}

/**
 * Signs the plugin's claim set; `kid` names the key so verification can pin its algorithm. The
 * OIDC `email` claim lets a connected site that links accounts by email find the user's account.
 */
export async function signToken(key: KeyMaterial, c: TokenClaimsInput): Promise<string> {
  const signingKey = await joseKey(key.signKey);
  return new SignJWT({
    ...c.extra,
    sid: c.sessionId,
    ...(c.user.user_email ? { email: c.user.user_email } : {}),
    data: { ID: c.user.ID, user_login: c.user.user_login, roles: c.user.roles },
  })
    .setProtectedHeader({ alg: key.alg, typ: 'JWT', kid: key.kid })
    .setIssuer(c.issuer)
    .setAudience(c.audience)
    .setSubject(String(c.user.ID))
    .setJti(c.jti)
    .setIssuedAt(c.issuedAt)
    .setNotBefore(c.issuedAt)
    .setExpirationTime(c.expiresAt)
    .sign(signingKey);
}
