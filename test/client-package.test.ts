import { execFile } from 'node:child_process';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const run = promisify(execFile);
const ROOT = resolve(import.meta.dirname, '..');
const PACKAGE = join(ROOT, 'packages/client');

/** What an app writes against the package: both entries, their types used. */
const APP = `import { createClient, HeadlessKeyError, localStorageStore, type ErrorCode, type LoginReply } from '@headlesskey/client';
import { verifyToken, type TokenClaims } from '@headlesskey/client/server';

const client = createClient({ url: 'http://127.0.0.1:1/wp-json/headlesskey/v1', store: localStorageStore(), crossTab: false });
const login: Promise<LoginReply> = client.login({ username: 'ada', password: 'secret' });
const code: ErrorCode = 'headlesskey_token_expired';
const claims: Promise<TokenClaims> = verifyToken('a.b.c', { issuer: 'i', audience: 'a', secret: 's' });
void login.catch((err: unknown) => err instanceof HeadlessKeyError && err.code === code);
void claims.catch(() => undefined);
client.close();
`;

/**
 * The package as npm publishes it: packed, installed alone into a new project (no workspace, no
 * @headlesskey/contracts), type-checked against its own declarations, and imported by Node.
 */
describe('the packed @headlesskey/client', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'hk-client-pack-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('installs alone, type-checks and imports from both entries', async () => {
    await run('npm', ['pack', '--silent', '--pack-destination', dir], { cwd: PACKAGE });
    const tarball = (await readdir(dir)).find((name) => name.endsWith('.tgz'));
    expect(tarball).toBeDefined();
    const app = join(dir, 'app');
    await run('mkdir', [app]);
    await writeFile(join(app, 'package.json'), JSON.stringify({ name: 'app', private: true, type: 'module' }));
    await run('npm', ['install', '--offline', '--no-audit', '--no-fund', '--ignore-scripts', join(dir, tarball!)], { cwd: app });
    const installed = join(app, 'node_modules/@headlesskey/client');
    expect(JSON.parse(await readFile(join(installed, 'package.json'), 'utf8')).dependencies).toBeUndefined();
    expect(await readdir(installed)).toEqual(expect.arrayContaining(['README.md', 'dist', 'package.json']));

    await writeFile(join(app, 'app.ts'), APP);
    await writeFile(
      join(app, 'tsconfig.json'),
      JSON.stringify({
        compilerOptions: {
          target: 'ES2022',
          module: 'NodeNext',
          moduleResolution: 'NodeNext',
          lib: ['ES2023', 'DOM'],
          types: [],
          strict: true,
          noEmit: true,
          // The package's own declarations are checked too: one naming a module it does not ship fails here.
          skipLibCheck: false,
        },
        files: ['app.ts'],
      }),
    );
    const tsc = await run(join(ROOT, 'node_modules/.bin/tsc'), ['-p', 'tsconfig.json'], { cwd: app }).catch((err) => err);
    expect(`${tsc.stdout ?? ''}${tsc.stderr ?? ''}`).toBe('');

    const imported = await run(
      process.execPath,
      [
        '--input-type=module',
        '-e',
        "const c = await import('@headlesskey/client'); const s = await import('@headlesskey/client/server'); console.log(typeof c.createClient, typeof s.verifyToken);",
      ],
      { cwd: app },
    );
    expect(imported.stdout.trim()).toBe('function function');
  });
});

describe('the browser bundle', () => {
  it('is at most 8 KB minified and gzipped, measured beside @supabase/auth-js', async () => {
    const { BUDGET, measure } = await import(join(PACKAGE, 'scripts/size.mjs'));
    const [ours, anchor] = await measure();
    expect(BUDGET).toBe(8192);
    expect(ours.gzipped).toBeLessThanOrEqual(BUDGET);
    expect(anchor.name).toBe('@supabase/auth-js');
    expect(anchor.gzipped).toBeGreaterThan(ours.gzipped);
  });
});
