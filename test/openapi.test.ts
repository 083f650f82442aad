import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';
import { DEFAULT_SETTINGS, ERROR_CODES, ROUTE_ACCESS, Settings } from '@headlesskey/contracts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestSystem, type TestSystem } from './support/system.js';

type Operation = { operationId?: string; responses: Record<string, unknown> };
type Document = { servers?: { url: string }[]; info: { license?: unknown }; paths: Record<string, Record<string, Operation>> };
type WpError = { code: string };
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

/** The project's API reference, which must describe what the gateway serves. */
const API_MD = readFileSync(new URL('../docs/api.md', import.meta.url), 'utf8');

/** The rows of the Markdown table under `## {heading}`, as cells with their backticks removed. */
function tableUnder(heading: string): string[][] {
  const section = API_MD.split(/^## /m).find((part) => part.startsWith(`${heading}\n`)) ?? '';
  return section
    .split('\n')
    .filter((line) => line.startsWith('| ') && !/^\|[-| ]+\|$/.test(line))
    .slice(1)
    .map((line) =>
      line
        .slice(2, -2)
        .split(' | ')
        .map((cell) => cell.replaceAll('`', '').trim()),
    );
}

const operationsOf = (served: Document) =>
  Object.entries(served.paths).flatMap(([path, item]) =>
    Object.entries(item).map(([method, op]) => ({ route: `${method.toUpperCase()} ${path}`, op })),
  );

let system: TestSystem;
let doc: Document;

beforeAll(async () => {
  system = await startTestSystem();
  doc = (await system.request<Document>('GET', '/docs/openapi.json')).body;
});
afterAll(() => system?.stop());

describe('the served OpenAPI document', () => {
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
    expect(doc.paths[`${API}/token`]!.post!.responses['429']).toMatchObject({ headers: { 'retry-after': expect.anything() } });
    expect(doc.paths['/readyz']!.get!.responses['503']).toMatchObject({ headers: { 'retry-after': expect.anything() } });
    expect(doc.paths[`${API}/me`]!.get!.responses['401']).toMatchObject({ headers: { 'www-authenticate': expect.anything() } });
    const reply = await system.request('GET', '/healthz', undefined, { 'x-padding': 'x'.repeat(20_000) });
    expect(reply.status).toBe(413);
    expect(reply.body).toMatchObject({ code: 'headlesskey_payload_too_large', data: { status: 413 } });
  });

  it("names, under each route's statuses, the codes the route really answers", async () => {
    const documented = (path: string, status: number) =>
      (doc.paths[`${API}${path}`]!.post!.responses[String(status)] as { description?: string } | undefined)?.description ?? '';
    const user = { username: 'openapi_user', email: 'openapi_user@example.com', password: 'correct horse battery staple' };
    const answers = [
      ['/register', await system.post<WpError>('/register', user)],
      ['/register', await system.post<WpError>('/register', user)],
      ['/token', await system.post<WpError>('/token', { username: user.username, password: 'not the password at all' })],
      ['/token/validate', await system.post<WpError>('/token/validate', { token: 'not.a.token' })],
      ['/reset-password', await system.post<WpError>('/reset-password', { login: user.username, password: user.password, otp: '123456' })],
    ] as const;
    expect(answers[0][1].status).toBe(201);
    for (const [path, reply] of answers.slice(1)) {
      expect(documented(path, reply.status), `${path} ${reply.status}`).toContain(`\`${reply.body.code}\``);
    }
  });

  it('is what the Swagger UI page at /docs loads', async () => {
    const page = await system.request<string>('GET', '/docs');
    expect(page.status).toBe(200);
    const initializer = await system.request<string>('GET', '/docs/static/swagger-initializer.js');
    expect(initializer.body).toContain("url: resolveUrl('./openapi.json')");
    expect(initializer.body).not.toContain("resolveUrl('./json')");
  });
});

/** The project's API reference describes the routes the gateway serves, and the contract's data. */
describe('docs/api.md', () => {
  it('has a section for each operation the gateway serves, and none for one it does not', () => {
    // Routes under the namespace by their route key (`POST /token`), the rest by their whole path.
    const served = operationsOf(doc).map(({ route }) => {
      const [method, path] = route.split(' ') as [string, string];
      return path.startsWith(`${API}/`) ? `${method} ${path.slice(API.length)}` : route;
    });
    const documented = [...API_MD.matchAll(/^### `([A-Z]+ [^`]+)`$/gm)].map((match) => match[1]);
    expect([...documented].sort()).toEqual([...served].sort());
  });

  it('gives every route its access by default, as ROUTE_ACCESS does', () => {
    const rule = (text: string) => (text === 'administrator' ? ['administrator'] : text.replace(' (signed)', ''));
    const table = Object.fromEntries(tableUnder('Access').map(([key, access]) => [key, rule(access!)]));
    expect(table).toEqual(ROUTE_ACCESS);
  });

  it('lists every setting with its default, and every error code', () => {
    const settings = tableUnder('Settings');
    expect(settings.map(([name]) => name)).toEqual(Object.keys(Settings.properties));
    for (const [name, defaults] of settings) {
      const value = DEFAULT_SETTINGS[name as keyof Settings];
      if (typeof value !== 'object') expect(defaults?.split(' ')[0], name).toBe(String(value));
    }
    expect(
      tableUnder('Errors')
        .map(([code]) => code)
        .sort(),
    ).toEqual([...ERROR_CODES].sort());
  });
});
