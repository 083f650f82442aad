import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestSystem, type TestSystem } from './support/system.js';

type Operation = { operationId?: string; responses: Record<string, unknown> };
type Document = { servers?: { url: string }[]; info: { license?: unknown }; paths: Record<string, Record<string, Operation>> };
type LintReport = {
  totals: { errors: number; warnings: number };
  problems: { ruleId: string; message: string; location: { pointer: string }[] }[];
};

const API = '/wp-json/headlesskey/v1';
const REDOCLY = join(dirname(createRequire(import.meta.url).resolve('@redocly/cli/package.json')), 'bin/cli.js');

/** `@redocly/cli lint` with its recommended rules, on the document written to a file of its own. */
async function lint(doc: Document): Promise<LintReport> {
  const dir = await mkdtemp(join(tmpdir(), 'hk-openapi-'));
  try {
    await writeFile(join(dir, 'openapi.json'), JSON.stringify(doc));
    const run = promisify(execFile)(process.execPath, [REDOCLY, 'lint', 'openapi.json', '--extends', 'recommended', '--format', 'json'], {
      cwd: dir,
      env: { ...process.env, REDOCLY_TELEMETRY: 'off', REDOCLY_SUPPRESS_UPDATE_NOTICE: 'true', NO_COLOR: '1' },
      maxBuffer: 16 * 1024 * 1024,
    });
    // It exits 1 when it finds an error; its report is on stdout either way.
    const { stdout } = await run.catch((err: { stdout?: string }) => ({ stdout: err.stdout ?? '' }));
    return JSON.parse(stdout.slice(stdout.indexOf('{')));
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

const operationsOf = (doc: Document) =>
  Object.entries(doc.paths).flatMap(([path, item]) =>
    Object.entries(item).map(([method, op]) => ({ route: `${method.toUpperCase()} ${path}`, op })),
  );

/** The OpenAPI document as a client gets it from a running gateway, and its Swagger UI page. */
describe('the served OpenAPI document', () => {
  let system: TestSystem;
  let doc: Document;

  beforeAll(async () => {
    system = await startTestSystem();
    doc = (await system.request<Document>('GET', '/docs/openapi.json')).body;
  });
  afterAll(() => system?.stop());

  it("passes @redocly/cli's recommended rules without an error or a warning", async () => {
    const report = await lint(doc);
    expect(report.problems.map((p) => `${p.ruleId} at ${p.location[0]?.pointer}: ${p.message}`)).toEqual([]);
    expect(report.totals).toMatchObject({ errors: 0, warnings: 0 });
    // The linter does refuse: without servers, a document fails.
    const { servers: _servers, ...serverless } = doc;
    expect((await lint(serverless as Document)).totals.errors).toBeGreaterThan(0);
  });

  it('names its server and license, and gives every operation a unique id derived from its route', () => {
    expect(doc.servers).toEqual([expect.objectContaining({ url: '/' })]);
    expect(doc.info.license).toMatchObject({ name: expect.any(String) });
    const ids = operationsOf(doc).map(({ op }) => op.operationId);
    expect(ids.every((id) => typeof id === 'string' && /^[a-z][A-Za-z0-9]*$/.test(id))).toBe(true);
    expect(new Set(ids).size).toBe(ids.length);
    expect(doc.paths[API]?.get?.operationId).toBe('getIndex');
    expect(doc.paths[`${API}/token`]?.post?.operationId).toBe('postToken');
    expect(doc.paths[`${API}/sessions/{id}`]?.delete?.operationId).toBe('deleteSessionsById');
    expect(doc.paths['/.well-known/jwks.json']?.get?.operationId).toBe('getWellKnownJwksJson');
  });

  it('gives every operation its 4XX answers, the HTTP server’s own among them, as served', async () => {
    for (const { route, op } of operationsOf(doc)) {
      expect(
        Object.keys(op.responses).filter((status) => status.startsWith('4')),
        route,
      ).toContain('4XX');
    }
    expect(Object.keys(doc.paths[`${API}/token`]!.post!.responses)).toEqual(expect.arrayContaining(['400', '413', '415']));
    const reply = await system.request('GET', '/healthz', undefined, { 'x-padding': 'x'.repeat(20_000) });
    expect(reply.status).toBe(431);
    expect(reply.body).toMatchObject({ statusCode: 431, error: expect.any(String), message: expect.any(String) });
  });

  it('is what the Swagger UI page at /docs loads', async () => {
    const page = await system.request<string>('GET', '/docs');
    expect(page.status).toBe(200);
    const initializer = await system.request<string>('GET', '/docs/static/swagger-initializer.js');
    expect(initializer.body).toContain("url: resolveUrl('./openapi.json')");
    expect(initializer.body).not.toContain("resolveUrl('./json')");
  });
});
