import { randomBytes } from 'node:crypto';
import { type Names, names } from '@headlesskey/contracts';
import { dropInstance as drop } from '@headlesskey/platform';

/** A fresh instance name per test file, so runs never see each other's data. */
export function uniqueInstance(prefix = 't'): Names {
  return names(`${prefix}${randomBytes(5).toString('hex')}`);
}

export function backendUrls(): { databaseUrl: string; natsUrl: string } {
  const databaseUrl = process.env.DATABASE_URL;
  const natsUrl = process.env.NATS_URL;
  if (!databaseUrl || !natsUrl) throw new Error('global setup did not resolve DATABASE_URL and NATS_URL');
  return { databaseUrl, natsUrl };
}

/** Drops everything an instance created: its databases, stream and KV buckets (as `npm run admin -- drop-instance` does). */
export async function dropInstance(n: Names, databaseUrl = backendUrls().databaseUrl): Promise<void> {
  await drop(n, { databaseUrl, natsUrl: backendUrls().natsUrl });
}
