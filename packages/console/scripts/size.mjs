// What the console's first load costs: the scripts `dist/index.html` names (its entry and the
// chunks it preloads), each gzipped. Fails above the budget.
//
//   node scripts/size.mjs   (after vite build; the build runs it)
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';

/** The most the first load's JavaScript may weigh, gzipped. */
export const BUDGET = 200 * 1024;

const dist = fileURLToPath(new URL('../dist/', import.meta.url));
const html = await readFile(`${dist}index.html`, 'utf8');
const scripts = [...html.matchAll(/<(?:script|link)[^>]+(?:src|href)="\.\/([^"]+\.js)"/g)].map((match) => match[1]);
if (scripts.length === 0) throw new Error('dist/index.html names no script');
if (/<script(?![^>]*\bsrc=)[^>]*>/.test(html)) throw new Error('dist/index.html holds an inline script, which the CSP refuses');

let total = 0;
console.log('console first load (gzip -9)');
for (const file of scripts) {
  const size = gzipSync(await readFile(`${dist}${file}`), { level: 9 }).length;
  total += size;
  console.log(`  ${file.padEnd(40)}${`${(size / 1024).toFixed(1)} KB`.padStart(10)}`);
}
console.log(`  budget ${BUDGET / 1024} KB: ${total <= BUDGET ? 'within' : 'OVER'} (${total} of ${BUDGET} bytes)`);
if (total > BUDGET) process.exit(1);
