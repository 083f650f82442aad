import { bool } from '../config/env.js';

type Env = Record<string, string | undefined>;

/**
 * `HEADLESSKEY_OUTBOUND_ALLOW_PRIVATE`: lifts the guard's private-address rule for every request
 * the system makes (webhook deliveries, connected sites' JWKS), for development and tests.
 * `HEADLESSKEY_WEBHOOK_ALLOW_PRIVATE` is its earlier name, still read when the new one is unset.
 */
export function readAllowPrivate(env: Env = process.env): boolean {
  return bool(env, 'HEADLESSKEY_OUTBOUND_ALLOW_PRIVATE', bool(env, 'HEADLESSKEY_WEBHOOK_ALLOW_PRIVATE', false));
}
