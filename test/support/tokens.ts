import { randomBytes } from 'node:crypto';
import type { SessionView } from '@headlesskey/client';
import type { EventEnvelope } from '@headlesskey/contracts';
import { Kvm } from '@nats-io/kv';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import { decodeJwt, decodeProtectedHeader, type JWTHeaderParameters, type JWTPayload, SignJWT } from 'jose';
import { afterAll, beforeAll } from 'vitest';
import { backendUrls } from './instance.js';
import { type HttpReply, startTestSystem, type TestSystem } from './system.js';
import { eventually, newUser, PASSWORD } from './users.js';

/** The operator's HS256 secret, issuer and audience: known to the tests, so they can sign. */
export const SECRET = 'test-operator-secret-0123456789-abcdefghijklmnop';
export const ISSUER = 'https://auth.example.test';
export const AUDIENCE = 'headlesskey';
export const ADMIN = { username: 'site_admin', email: 'site_admin@example.com', password: PASSWORD };

/** The environment of a system whose keys and administrator the tests know. */
export const TOKENS_ENV: Record<string, string> = {
  HEADLESSKEY_SECRET_KEY: SECRET,
  HEADLESSKEY_ISSUER: ISSUER,
  HEADLESSKEY_AUDIENCE: AUDIENCE,
  HEADLESSKEY_ADMIN_LOGIN: ADMIN.username,
  HEADLESSKEY_ADMIN_EMAIL: ADMIN.email,
  HEADLESSKEY_ADMIN_PASSWORD: ADMIN.password,
};

export interface Issued {
  token: string;
  jti: string;
  expires_in: number;
  expiration: string;
  refreshable: boolean;
  user: { ID: number; user_login: string; roles: string[] };
}

export interface ErrorReply {
  code: string;
  message: string;
  data: { status: number; valid?: boolean; reason?: string; [key: string]: unknown };
}

/** One session of `GET /sessions`, as the client package declares it from the contracts. */
export type { SessionView };

export const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

/** Whatever answers the REST API: the system's own gateway, or another one in front of it. */
export type Api = Pick<TestSystem, 'apiUrl' | 'get' | 'post' | 'request'>;

/** DELETE under the REST namespace. */
export const del = <T = unknown>(api: Api, path: string, headers?: Record<string, string>) =>
  api.request<T & ErrorReply>('DELETE', `${new URL(api.apiUrl).pathname}${path}`, undefined, headers);

/** Logs in from a named device (`device` in the body). */
export const login = (system: Api, user: { username: string; password: string }, device?: string, headers?: Record<string, string>) =>
  system.post<Issued & ErrorReply>('/token', { username: user.username, password: user.password, ...(device ? { device } : {}) }, headers);

export const validate = (system: Api, token: string) =>
  system.post<{ valid: true; data: Claims } & ErrorReply>('/token/validate', { token });
export const refresh = (system: Api, token: string) => system.post<Issued & ErrorReply>('/token/refresh', { token });
export const revoke = (system: Api, token: string) => system.post<{ message: string } & ErrorReply>('/token/revoke', { token });
export const sessions = (system: Api, token: string) => system.get<{ sessions: SessionView[] } & ErrorReply>('/sessions', bearer(token));

/**
 * A registered user with no live session: registration opens one (naming no device),
 * which is logged out here so that each test counts only the sessions it opens.
 */
export async function register(system: TestSystem, prefix = 'tok') {
  const user = newUser(prefix);
  const reply = await system.post<{ user_id: number; token_response: { token: string } }>('/register', user);
  if (reply.status !== 201) throw new Error(`register answered ${reply.status}: ${JSON.stringify(reply.body)}`);
  const loggedOut = await revoke(system, reply.body.token_response.token);
  if (loggedOut.status !== 200) throw new Error(`revoke answered ${loggedOut.status}: ${JSON.stringify(loggedOut.body)}`);
  return { ...user, id: reply.body.user_id };
}

/** A token of `TOKENS_ENV`'s administrator, from a device of its own. */
export const signInAdmin = async (system: Api) => (await loggedIn(login(system, ADMIN, freshDevice('admin')))).token;

/** Asserts a login worked and gives its body. */
export async function loggedIn(reply: Promise<HttpReply<Issued & ErrorReply>>): Promise<Issued> {
  const r = await reply;
  if (r.status !== 200) throw new Error(`login answered ${r.status}: ${JSON.stringify(r.body)}`);
  return r.body;
}

export type Claims = JWTPayload & { jti: string; sid: string; sub: string; data: { ID: number; user_login: string; roles: string[] } };

export const claimsOf = (token: string) => decodeJwt(token) as Claims;
export const headerOf = (token: string) => decodeProtectedHeader(token);
export const signatureOf = (token: string) => token.split('.')[2] ?? '';

const secretKey = new TextEncoder().encode(SECRET);

/** A token signed with the operator's HS256 secret: `claims` over a real token's, `header` over its header. */
export function resign(token: string, claims: Record<string, unknown>, header: Record<string, unknown> = {}): Promise<string> {
  const h = headerOf(token);
  return new SignJWT({ ...claimsOf(token), ...claims })
    .setProtectedHeader({ ...h, alg: 'HS256', ...header } as JWTHeaderParameters)
    .sign(secretKey);
}

export const b64url = (value: unknown) => Buffer.from(typeof value === 'string' ? value : JSON.stringify(value)).toString('base64url');

/** The instance's bus, for settings and events: one connection per test file. */
export interface Bus {
  nc: NatsConnection;
  /** Puts a live setting (a JSON value) into the instance's settings bucket. */
  setSetting(name: string, value: unknown): Promise<void>;
  /** Every event seen since `openBus`, and the raw payloads they came in. */
  events: EventEnvelope[];
  raw: string[];
  /** Waits for an event of `type` matching `match`. */
  waitForEvent(type: string, match?: (e: EventEnvelope) => boolean, timeoutMs?: number): Promise<EventEnvelope>;
  close(): Promise<void>;
}

/**
 * A test file's system on `env` (`TOKENS_ENV` unless given) and its bus: started before the file's
 * tests (`use` hands them to the file's own variables, and may sign in or register on them), both
 * stopped after.
 */
export function withTokensSystem(
  use: (system: TestSystem, bus: Bus) => void | Promise<void>,
  env: Record<string, string> = TOKENS_ENV,
): void {
  let system: TestSystem | undefined;
  let bus: Bus | undefined;
  beforeAll(async () => {
    system = await startTestSystem({ env });
    bus = await openBus(system);
    await use(system, bus);
  });
  afterAll(async () => {
    await bus?.close();
    await system?.stop();
  });
}

export async function openBus(system: TestSystem): Promise<Bus> {
  const nc = await connect({ servers: backendUrls().natsUrl });
  const kv = await new Kvm(nc).open(system.names.settingsBucket);
  const events: EventEnvelope[] = [];
  const raw: string[] = [];
  nc.subscribe(system.names.events, {
    callback: (_err, msg) => {
      const text = new TextDecoder().decode(msg.data);
      raw.push(text);
      events.push(JSON.parse(text) as EventEnvelope);
    },
  });
  // The subscription is registered with the server before anything is asked of the system.
  await nc.flush();
  return {
    nc,
    events,
    raw,
    async setSetting(name, value) {
      await kv.put(name, JSON.stringify(value));
    },
    waitForEvent: (type, match = () => true, timeoutMs = 10_000) =>
      eventually(async () => events.find((e) => e.type === type && match(e)), timeoutMs, `event ${type}`),
    close: () => nc.close(),
  };
}

/** A device name nobody has used yet. */
export const freshDevice = (prefix = 'device') => `${prefix}-${randomBytes(4).toString('hex')}`;

/**
 * Sessions of one user, one login after the other: logins in flight at once count toward the
 * account's attempt limit before their passwords are checked.
 */
export async function sessionsOf(system: Api, user: { username: string; password: string }, count: number): Promise<Issued[]> {
  const opened = [];
  for (let i = 0; i < count; i++) opened.push(await loggedIn(login(system, user, freshDevice())));
  return opened;
}

/**
 * The size of every `validateMany` or `refreshMany` the gateway sends from now on, as the bus
 * carries them. A flush of `bus.nc` after a burst makes sure all of the burst's are counted.
 */
export async function batchSizes(bus: Bus, system: TestSystem, command: 'validateMany' | 'refreshMany'): Promise<number[]> {
  const sizes: number[] = [];
  bus.nc.subscribe(system.names.command('tokens', command), {
    callback: (_err, msg) => {
      // The same command sent again, its answer late (a read-only command's hedge), is no new batch.
      if (Number(msg.headers?.get('hk-attempt') ?? 1) > 1) return;
      const payload = JSON.parse(new TextDecoder().decode(msg.data)) as { tokens?: unknown[]; items?: unknown[] };
      sizes.push((payload.tokens ?? payload.items ?? []).length);
    },
  });
  await bus.nc.flush();
  return sizes;
}
