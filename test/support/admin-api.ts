import { randomUUID } from 'node:crypto';
import type { EventEnvelope, Names } from '@headlesskey/contracts';
import { jetstream } from '@nats-io/jetstream';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import pg from 'pg';
import { backendUrls } from './instance.js';
import type { HttpReply, TestSystem } from './system.js';
import { PASSWORD } from './users.js';

/*
 * Admin routes, service databases and raw events, for the black-box tests of the activity log
 * and the webhooks.
 */

/** An administrator created at start, for the admin routes (`/logs`, `/webhooks`). */
export const ADMIN = { username: 'hk_admin', email: 'hk_admin@example.com', password: PASSWORD };
export const ADMIN_ENV: Record<string, string> = {
  HEADLESSKEY_ADMIN_LOGIN: ADMIN.username,
  HEADLESSKEY_ADMIN_EMAIL: ADMIN.email,
  HEADLESSKEY_ADMIN_PASSWORD: ADMIN.password,
};

/** An administrator, and a webhook dispatcher that may reach loopback receivers and looks for due deliveries every 50 ms. */
export const DISPATCHER_ENV: Record<string, string> = {
  ...ADMIN_ENV,
  HEADLESSKEY_WEBHOOK_ALLOW_PRIVATE: 'true',
  HEADLESSKEY_WEBHOOK_POLL_MS: '50',
};

export interface WpError {
  code: string;
  message: string;
  data: { status: number; params?: Record<string, string> | string[]; [key: string]: unknown };
}

/** A token of the configured administrator. */
export async function adminToken(system: TestSystem): Promise<string> {
  const reply = await system.post<{ token: string }>('/token', { username: ADMIN.username, password: ADMIN.password });
  if (reply.status !== 200) throw new Error(`admin login answered ${reply.status}: ${JSON.stringify(reply.body)}`);
  return reply.body.token;
}

export const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

/** Any method on the REST namespace with a bearer token: `call(system, token, 'PATCH', '/webhooks/x', {...})`. */
export function call<T = unknown>(system: TestSystem, token: string | undefined, method: string, path: string, body?: unknown) {
  const ns = system.apiUrl.slice(system.url.length);
  return system.request<T>(method, `${ns}${path}`, body, token ? bearer(token) : {}) as Promise<HttpReply<T>>;
}

/** A database of one service of the system, for looking at (and, in fault tests, tampering with) its rows. */
export async function serviceDb(system: TestSystem, service: 'audit' | 'webhooks' | 'identity' | 'tokens'): Promise<pg.Client> {
  const url = new URL(backendUrls().databaseUrl);
  url.pathname = `/${system.names.database(service)}`;
  const client = new pg.Client({ connectionString: url.toString() });
  await client.connect();
  return client;
}

/** A bus connection for publishing events as a producer would, bugs included. */
export async function rawBus(): Promise<NatsConnection> {
  return connect({ servers: backendUrls().natsUrl });
}

/** An event envelope as the services write them; override anything. */
export function envelope(type: string, data: Record<string, unknown>, over: Partial<EventEnvelope> = {}): EventEnvelope {
  return {
    id: randomUUID(),
    type,
    stream: `test-${randomUUID()}`,
    version: 1,
    occurredAt: new Date().toISOString(),
    data,
    meta: { ip: '198.51.100.7', userAgent: 'curl/8.5.0' },
    ...over,
  };
}

/** Publishes raw bytes or an envelope on the instance's event stream, as identity would. */
export async function publishEvent(nc: NatsConnection, names: Names, event: EventEnvelope | string, type = 'auth.login.failed') {
  const subject = names.event('identity', typeof event === 'string' ? type : event.type);
  const payload = typeof event === 'string' ? event : JSON.stringify(event);
  await jetstream(nc).publish(subject, payload, typeof event === 'string' ? {} : { msgID: `${event.id}-${randomUUID()}` });
}

/** A delivery as an endpoint's delivery log shows it. */
export interface Delivery {
  id: string;
  message_id: string;
  event_id: string;
  event_type: string;
  status: 'pending' | 'delivered' | 'dead';
  attempts: number;
  next_attempt_at: string | null;
  last_status_code: number | null;
  last_error: string | null;
  attempt_log: { at: string; status_code: number | null; error: string | null }[];
}

/** Creates a webhook endpoint as the administrator: its id, and its secret (shown this once). */
export async function createEndpoint(system: TestSystem, admin: string, url: string, extra: Record<string, unknown> = {}) {
  const reply = await call<{ id: string; secret: string }>(system, admin, 'POST', '/webhooks', { url, ...extra });
  if (reply.status !== 201) throw new Error(`create answered ${reply.status}: ${JSON.stringify(reply.body)}`);
  return reply.body;
}

/** An endpoint's delivery log, newest first, up to 100 entries. */
export async function deliveriesOf(system: TestSystem, admin: string, id: string): Promise<Delivery[]> {
  const reply = await call<{ deliveries: Delivery[] }>(system, admin, 'GET', `/webhooks/${id}/deliveries?per_page=100`);
  if (reply.status !== 200) throw new Error(`deliveries answered ${reply.status}`);
  return reply.body.deliveries;
}

/** A failed login for no known user: the event most webhook tests deliver. */
export const failedLogin = () => envelope('auth.login.failed', { user_id: null, reason: 'invalid_credentials' });
