import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN_ENV, adminToken, bearer, call, type WpError } from './support/admin-api.js';
import {
  type Field,
  HOSTILE_VALUES,
  isBrokenText,
  type OpenApiDocument,
  type OperationPlan,
  planOperations,
  requestOf,
} from './support/fuzz.js';
import { startTestSystem, type TestSystem } from './support/system.js';
import { newUser } from './support/users.js';

/** At most this many fuzz requests in flight: enough to finish in seconds, not enough to trip a timeout. */
const PARALLEL = 6;

interface Outcome {
  request: string;
  status: number;
  body: unknown;
}

/**
 * Every route of the served OpenAPI document, every field of its path, query and body, each
 * hostile value of a fixed list, as the administrator (so validation behind the access check is
 * reached): see `acceptable`.
 */
describe('input fuzz from the OpenAPI document', () => {
  let system: TestSystem;
  let admin: string;

  beforeAll(async () => {
    system = await startTestSystem({ env: ADMIN_ENV });
    admin = await adminToken(system);
    // The fuzz's failed logins come from one address; the lockout test below counts per account.
    const raised = await call(system, admin, 'PATCH', '/settings', { ip_max_attempts: 100_000 });
    expect(raised.status).toBe(200);
  });
  afterAll(async () => {
    await system?.stop();
  });

  it('a login refused for a NUL or a lone surrogate counts toward no lockout', async () => {
    const user = newUser('fuzzlock');
    expect((await system.post('/register', user)).status).toBe(201);
    const hostile = [{ device: '\u0000' }, { device: 'a\ud800' }, { username: `${user.username}\u0000` }, { password: 'x\udc00' }];
    for (let i = 0; i < 3; i++) {
      for (const fields of hostile) {
        const reply = await system.post<WpError>('/token', { username: user.username, password: 'wrong password', ...fields });
        expect(reply.status).toBe(400);
        expect(reply.body.code).toBe('rest_invalid_param');
      }
    }
    // Twelve refusals, past the five failures that lock an account: it is not locked.
    const login = await system.post('/token', { username: user.username, password: user.password });
    expect(login.status).toBe(200);
  });

  it('no route answers a hostile value with a 5xx, and every error has the WordPress shape', async () => {
    const doc = (await system.request<OpenApiDocument>('GET', '/docs/openapi.json')).body;
    const plans = planOperations(doc);
    // The document must describe the routes it is fuzzed through, fields included.
    expect(plans.length).toBeGreaterThan(30);
    expect(plans.flatMap((plan) => plan.fields).length).toBeGreaterThan(60);
    const cases = plans.flatMap((plan) => plan.fields.flatMap((field) => HOSTILE_VALUES.map((value) => ({ plan, field, value }))));
    const bad: Outcome[] = [];
    await inParallel(cases, PARALLEL, async ({ plan, field, value }) => {
      const outcome = await send(plan, field, value);
      if (!acceptable(outcome, field, value)) bad.push(outcome);
    });
    expect(bad).toEqual([]);
  });

  async function send(plan: OperationPlan, field: Field, value: unknown): Promise<Outcome> {
    const { url, body } = requestOf(plan, field, value);
    const reply = await system.request(plan.method, url, body, bearer(admin));
    const shown = JSON.stringify(value);
    return {
      request: `${plan.method} ${plan.path} ${field.place}.${field.name}=${shown.length > 40 ? `${shown.slice(0, 40)}…` : shown}`,
      status: reply.status,
      body: reply.body,
    };
  }
});

/**
 * No 5xx; every error in the WordPress shape; a NUL anywhere, or a lone surrogate in the body, is
 * `rest_invalid_param`. (A lone surrogate has no UTF-8 form: in a path its bytes are no URL at all,
 * answered as an unknown route, and the query string's decoder replaces them.)
 */
function acceptable({ status, body }: Outcome, field: Field, value: unknown): boolean {
  if (status >= 500) return false;
  const refusedAsInvalid = isBrokenText(value) && (field.place === 'body' || value.includes('\u0000'));
  if (status < 400) return !refusedAsInvalid;
  const error = body as WpError;
  const shaped = typeof error?.code === 'string' && typeof error.message === 'string' && error.data?.status === status;
  return shaped && (!refusedAsInvalid || error.code === 'rest_invalid_param');
}

async function inParallel<T>(items: readonly T[], width: number, run: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < items.length) await run(items[next++]!);
  };
  await Promise.all(Array.from({ length: width }, worker));
}
