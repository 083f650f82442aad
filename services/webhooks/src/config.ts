import { ConfigError, int, optionalStr, readAllowPrivate } from '@headlesskey/platform';
import { STANDARD_SCHEDULE_S } from './deliveries/schedule.js';

type Env = Record<string, string | undefined>;

/** What the webhook dispatcher reads from the environment. */
export interface WebhooksConfig {
  /** Lifts the private-address rule of the SSRF guard (`readAllowPrivate`): for development and tests only. */
  allowPrivate: boolean;
  /** One attempt's deadline, connect to response headers. */
  timeoutMs: number;
  /** Seconds to wait after each failed attempt; its length + 1 is the number of attempts. */
  retrySchedule: readonly number[];
  /** Multiplies the schedule, so tests run a day of retries in seconds. */
  retryScale: number;
  /** Attempts in flight in this replica, and for one endpoint across replicas. */
  concurrency: number;
  endpointConcurrency: number;
  /** The longest a worker sleeps before looking for due deliveries again. */
  pollMs: number;
  /** How long the previous secret still signs after a rotation. */
  secretOverlapSeconds: number;
}

export function readWebhooksConfig(env: Env = process.env): WebhooksConfig {
  return {
    allowPrivate: readAllowPrivate(env),
    timeoutMs: int(env, 'HEADLESSKEY_WEBHOOK_TIMEOUT_MS', 10_000, 100, 60_000),
    retrySchedule: schedule(env, 'HEADLESSKEY_WEBHOOK_RETRY_SCHEDULE'),
    retryScale: scale(env, 'HEADLESSKEY_WEBHOOK_RETRY_SCALE'),
    concurrency: int(env, 'HEADLESSKEY_WEBHOOK_CONCURRENCY', 64, 1, 1024),
    endpointConcurrency: int(env, 'HEADLESSKEY_WEBHOOK_ENDPOINT_CONCURRENCY', 4, 1, 64),
    pollMs: int(env, 'HEADLESSKEY_WEBHOOK_POLL_MS', 1000, 10, 60_000),
    secretOverlapSeconds: int(env, 'HEADLESSKEY_WEBHOOK_SECRET_OVERLAP', 86_400, 0, 30 * 86_400),
  };
}

const NUMBER = /^\d+(\.\d+)?([eE]-?\d+)?$/;

function schedule(env: Env, name: string): readonly number[] {
  const raw = optionalStr(env, name);
  if (raw === undefined) return STANDARD_SCHEDULE_S;
  const parts = raw.split(',').map((part) => part.trim());
  if (parts.length > 50 || !parts.every((part) => NUMBER.test(part) && Number(part) <= 7 * 86_400)) {
    throw new ConfigError(`${name}: expected comma-separated delays in seconds (each at most a week), got "${raw}"`);
  }
  return parts.map(Number);
}

function scale(env: Env, name: string): number {
  const raw = optionalStr(env, name);
  if (raw === undefined) return 1;
  const value = Number(raw);
  if (!NUMBER.test(raw) || !(value > 0) || value > 1)
    throw new ConfigError(`${name}: expected a number above 0 and at most 1, got "${raw}"`);
  return value;
}
