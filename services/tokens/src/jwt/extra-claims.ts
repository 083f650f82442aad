import { RESERVED_CLAIMS } from '@headlesskey/contracts';

const DROPPED = new Set([...RESERVED_CLAIMS, '__proto__', 'constructor', 'prototype']);

/**
 * The claims a `token.claims` hook may add: every one but the reserved claims the tokens service
 * signs itself (`iss`, `sub`, `aud`, `exp`, `iat`, `nbf`, `jti`, `sid`, `data`), which are dropped
 * rather than refused, so a hook can never override whose token it is or how long it lives.
 */
export function extraClaims(claims: Record<string, unknown>): Record<string, unknown> {
  const kept: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(claims)) {
    if (!DROPPED.has(name) && value !== undefined) kept[name] = value;
  }
  return kept;
}
