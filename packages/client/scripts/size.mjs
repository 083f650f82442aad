// The browser bundle's size: the package's root entry bundled and minified with esbuild, then
// gzipped, beside @supabase/auth-js bundled the same way as an anchor. Fails above the budget.
//
//   node scripts/size.mjs   (after tsc; the build runs it)
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { build } from 'esbuild';

/** The most the root entry may weigh, minified and gzipped. */
export const BUDGET = 8192;

async function sizeOf(contents, resolveDir) {
  const result = await build({
    stdin: { contents, resolveDir, loader: 'js' },
    bundle: true,
    minify: true,
    format: 'esm',
    platform: 'browser',
    target: 'es2022',
    write: false,
    logLevel: 'silent',
  });
  const code = result.outputFiles[0].contents;
  return { minified: code.length, gzipped: gzipSync(code, { level: 9 }).length };
}

/** Both bundles' sizes in bytes. */
export async function measure() {
  const dir = fileURLToPath(new URL('..', import.meta.url));
  return [
    { name: '@headlesskey/client', ...(await sizeOf("export * from './dist/index.js';", dir)) },
    { name: '@supabase/auth-js', ...(await sizeOf("export * from '@supabase/auth-js';", dir)) },
  ];
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const rows = await measure();
  const kb = (bytes) => `${(bytes / 1024).toFixed(1)} KB`;
  console.log('browser bundle (esbuild --minify, gzip -9)');
  console.log(`  ${'package'.padEnd(22)}${'min'.padStart(10)}${'min+gz'.padStart(10)}`);
  for (const row of rows) console.log(`  ${row.name.padEnd(22)}${kb(row.minified).padStart(10)}${kb(row.gzipped).padStart(10)}`);
  const ours = rows[0].gzipped;
  console.log(`  budget ${kb(BUDGET)}: ${ours <= BUDGET ? 'within' : 'OVER'} (${ours} of ${BUDGET} bytes)`);
  if (ours > BUDGET) process.exit(1);
}
