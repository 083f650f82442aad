import { ERROR_CODES } from '@headlesskey/contracts';
import { validate } from '@readme/openapi-parser';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Harness, startHarness } from '../../test/harness.js';

const NS = '/wp-json/headlesskey/v1';

type Operation = { summary?: string; security?: Record<string, string[]>[]; responses: Record<string, unknown> };
type Document = { openapi: string; paths: Record<string, Record<string, Operation>>; components: { schemas: Record<string, any> } };

/** `/sessions/{id}` and `/sessions/{session_id}` are the same route: parameter names aside. */
const shape = (path: string) => path.replace(/\{[^}]+\}/g, '{}');

/** The document's operations as `METHOD path` (parameter names blanked). */
function operationsOf(doc: Document): Map<string, Operation> {
  const found = new Map<string, Operation>();
  for (const [path, item] of Object.entries(doc.paths)) {
    for (const [method, operation] of Object.entries(item)) found.set(`${method.toUpperCase()} ${shape(path)}`, operation);
  }
  return found;
}

let h: Harness;
let app: FastifyInstance;
let doc: Document;

beforeAll(async () => {
  h = await startHarness();
  app = h.app();
  doc = (await app.inject({ method: 'GET', url: '/docs/openapi.json' })).json();
});
afterAll(() => h.close());

describe('the OpenAPI document', () => {
  it('is valid OpenAPI 3.1, as a validator that refuses a broken document says', async () => {
    expect(doc.openapi).toBe('3.1.0');
    const result = await validate(structuredClone(doc));
    expect(result.valid ? [] : result.errors).toEqual([]);
    const broken = structuredClone(doc) as any;
    broken.paths[`${NS}/token`].post.responses = 'none';
    expect((await validate(broken)).valid).toBe(false);
  });

  it('describes each operation: a summary, who may call it, its success schema and the error shape', () => {
    for (const [route, operation] of operationsOf(doc)) {
      expect(operation.summary, route).toMatch(/\S/);
      expect(operation.security, route).toBeDefined();
      const error = operation.responses.default as any;
      expect(error?.content?.['application/json']?.schema, route).toEqual({ $ref: '#/components/schemas/WpError' });
    }
    const me = operationsOf(doc).get(`GET ${NS}/me`)!;
    expect(me.security).toEqual([{ bearer: [] }]);
    expect(Object.keys(me.responses)).toEqual(expect.arrayContaining(['200', '401', '403']));
    expect((me.responses['200'] as any).content['application/json'].schema.properties).toHaveProperty('user_login');
    const token = operationsOf(doc).get(`POST ${NS}/token`)!;
    expect(token.security).toEqual([]);
    expect(token.responses).not.toHaveProperty('401');
    expect(doc.components.schemas.WpError.properties.code.enum).toEqual([...ERROR_CODES]);
  });

  it('documents request bodies in both media types, path parameters and query strings', () => {
    const register = doc.paths[`${NS}/register`]!.post as any;
    expect(Object.keys(register.requestBody.content)).toEqual(['application/json', 'application/x-www-form-urlencoded']);
    expect(register.requestBody.content['application/json'].schema.required).toEqual(['username', 'email', 'password']);
    expect(register.responses).toHaveProperty('201');
    const logs = doc.paths[`${NS}/logs`]!.get as any;
    expect(logs.parameters.map((p: { in: string; name: string }) => `${p.in}:${p.name}`)).toEqual(
      expect.arrayContaining(['query:user', 'query:event', 'query:ip', 'query:since', 'query:until', 'query:cursor', 'query:per_page']),
    );
    const session = doc.paths[`${NS}/sessions/{id}`]!.delete as any;
    expect(session.parameters).toEqual([
      expect.objectContaining({ in: 'path', name: 'id', required: true }),
      expect.objectContaining({ in: 'header', name: 'idempotency-key', required: false }),
    ]);
  });

  it('documents the Idempotency-Key header on every write, and on no read', () => {
    const withKey = (operation: any) =>
      (operation.parameters ?? []).some((p: { in: string; name: string }) => p.in === 'header' && p.name === 'idempotency-key');
    const register = doc.paths[`${NS}/register`]!.post as any;
    expect(withKey(register)).toBe(true);
    expect(register.responses).toHaveProperty('422');
    expect(withKey(doc.paths[`${NS}/token/refresh`]!.post)).toBe(true);
    expect(withKey(doc.paths[`${NS}/token/validate`]!.post)).toBe(false);
    expect(withKey(doc.paths[`${NS}/logs`]!.get)).toBe(false);
  });

  it('leaves out the legacy alias, CORS preflights and its own page; follows the configured namespace', async () => {
    const paths = Object.keys(doc.paths);
    expect(paths.filter((path) => path.includes('wpauthapi') || path.startsWith('/docs') || path === '*')).toEqual([]);
    const custom = h.app({ HEADLESSKEY_REST_NAMESPACE: 'auth', HEADLESSKEY_REST_VERSION: 'v2' });
    const other: Document = (await custom.inject({ method: 'GET', url: '/docs/openapi.json' })).json();
    expect(Object.keys(other.paths)).toContain('/wp-json/auth/v2/token');
    expect(Object.keys(other.paths).filter((path) => path.includes('headlesskey/v1'))).toEqual([]);
  });
});

describe('/docs', () => {
  it('serves a browsable page whose files come from the gateway itself', async () => {
    const page = await app.inject({ method: 'GET', url: '/docs' });
    expect(page.statusCode).toBe(200);
    expect(page.headers['content-type']).toContain('text/html');
    expect(page.headers['content-security-policy']).toContain("default-src 'self'");
    const assets = [...page.body.matchAll(/(?:src|href)="([^"]+)"/g)].map((match) => match[1]!);
    expect(assets.length).toBeGreaterThan(2);
    for (const asset of assets) {
      expect(asset.startsWith('/docs/')).toBe(true);
      expect((await app.inject({ method: 'GET', url: asset })).statusCode, asset).toBe(200);
    }
    const initializer = await app.inject({ method: 'GET', url: '/docs/static/swagger-initializer.js' });
    expect(initializer.body).toContain("resolveUrl('./openapi.json')");
    expect((await app.inject({ method: 'GET', url: '/docs/json' })).json()).toEqual(doc);
  });
});
