import { int } from '@headlesskey/platform';

type Env = Record<string, string | undefined>;

export interface AuditConfig {
  /** How often a replica tries to purge entries past `log_retention_days`. */
  purgeIntervalMs: number;
}

export function readAuditConfig(env: Env = process.env): AuditConfig {
  return {
    purgeIntervalMs: int(env, 'HEADLESSKEY_AUDIT_PURGE_INTERVAL_MS', 3_600_000, 100, 7 * 86_400_000),
  };
}
