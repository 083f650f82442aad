import { type CommandService, DEFAULT_SETTINGS, type Names, type Settings } from '@headlesskey/contracts';
import { createCommandClient, decodeJson, encodeJson, type Reply } from '@headlesskey/platform';
import { connect, type MsgHdrs, type NatsConnection, type Subscription } from '@nats-io/transport-node';
import type { FastifyInstance } from 'fastify';
import { backendUrls, uniqueInstance } from '../../../test/support/instance.js';
import { buildApp } from '../src/app.js';
import { readGatewayConfig } from '../src/config.js';

/** One command as a stand-in service received it. */
export interface Call {
  payload: Record<string, unknown>;
  headers: MsgHdrs | undefined;
}

/** What a stand-in answers: a reply, raw bytes (a broken service), or nothing (a hung one). */
export type Answer = (payload: Record<string, unknown>) => Reply<unknown> | Uint8Array | undefined;

export interface Harness {
  readonly nc: NatsConnection;
  readonly names: Names;
  /** A gateway on this instance, configured from env-style variables, with these live settings. */
  app(env?: Record<string, string>, commandTimeoutMs?: number, settings?: () => Settings): FastifyInstance;
  /** Subscribes a stand-in service for one command; its calls are recorded in order. */
  respond(service: CommandService, command: string, answer: Answer): Promise<Call[]>;
  /** Removes every stand-in (between tests). */
  reset(): Promise<void>;
  close(): Promise<void>;
}

/** A real NATS connection on a fresh instance, so test files never hear each other. */
export async function startHarness(): Promise<Harness> {
  const nc = await connect({ servers: backendUrls().natsUrl });
  const names = uniqueInstance('gw');
  const apps: FastifyInstance[] = [];
  let subs: Subscription[] = [];
  return {
    nc,
    names,
    app(env = {}, commandTimeoutMs = 2000, settings = () => DEFAULT_SETTINGS) {
      const config = { ...readGatewayConfig(env), commandTimeoutMs };
      const app = buildApp({ config, bus: createCommandClient(nc, names, commandTimeoutMs), settings: { current: settings } });
      apps.push(app);
      return app;
    },
    async respond(service, command, answer) {
      const calls: Call[] = [];
      const sub = nc.subscribe(names.command(service, command), {
        callback: (err, msg) => {
          if (err) return;
          const payload = decodeJson(msg.data) as Record<string, unknown>;
          calls.push({ payload, headers: msg.headers });
          const out = answer(payload);
          if (out !== undefined) msg.respond(out instanceof Uint8Array ? out : encodeJson(out));
        },
      });
      subs.push(sub);
      // The gateway sends validates as `validateMany`: answer each token as `validate` would.
      if (service === 'tokens' && command === 'validate') subs.push(validateManyStandIn(nc, names, answer, calls));
      // The server must know the subscription before the first request, or it answers "no responders".
      await nc.flush();
      return calls;
    },
    async reset() {
      for (const sub of subs) sub.unsubscribe();
      subs = [];
      await nc.flush();
    },
    async close() {
      await Promise.all(apps.map((app) => app.close()));
      await nc.close();
    },
  };
}

function validateManyStandIn(nc: NatsConnection, names: Names, answer: Answer, calls: Call[]): Subscription {
  return nc.subscribe(names.command('tokens', 'validateMany'), {
    callback: (err, msg) => {
      if (err) return;
      const { tokens } = decodeJson(msg.data) as { tokens: string[] };
      const results: unknown[] = [];
      for (const token of tokens) {
        const payload = { token };
        calls.push({ payload, headers: msg.headers });
        const out = answer(payload);
        // A hung or broken stand-in hangs or breaks the whole batch, as one process would.
        if (out === undefined) return;
        if (out instanceof Uint8Array) return msg.respond(out);
        results.push(out);
      }
      msg.respond(encodeJson({ ok: true, data: { results } }));
    },
  });
}

/** A login answer as the identity service gives it. */
export function tokenReply(extra: Record<string, unknown> = {}) {
  return {
    token: 'eyJhbGciOiJIUzI1NiJ9.e30.sig',
    expiration: '2023-10-27T10:00:00+00:00',
    expires_in: 3600,
    refreshable: true,
    jti: '545086b9-450f-488b-a70d-3047d14d1101',
    user: { ID: 1, user_login: 'admin', user_email: 'admin@example.com', display_name: 'Administrator', roles: ['administrator'] },
    device_secret: 'q0XbE3Jx7v2Lr9tKp1Wm5Zs8Yc4Nd6Hf0Ga2Ue7Io3',
    ...extra,
  };
}
