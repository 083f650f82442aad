// Serves the example on http://127.0.0.1:5173: the page, its script, and @headlesskey/client
// bundled for the browser with esbuild from the package's build (npx turbo run build --filter=@headlesskey/client).
import { readFile } from 'node:fs/promises';
import { createServer } from 'node:http';
import { build } from 'esbuild';

const here = new URL('.', import.meta.url);
const port = Number(process.env.PORT ?? 5173);
const bundle = await build({
  entryPoints: [new URL('../../packages/client/dist/index.js', import.meta.url).pathname],
  bundle: true,
  minify: true,
  format: 'esm',
  platform: 'browser',
  write: false,
});
const files = {
  '/': ['index.html', 'text/html'],
  '/app.js': ['app.js', 'text/javascript'],
};

createServer(async (req, res) => {
  const path = new URL(req.url ?? '/', 'http://localhost').pathname;
  if (path === '/headlesskey-client.js') {
    res.writeHead(200, { 'content-type': 'text/javascript' });
    return res.end(bundle.outputFiles[0].contents);
  }
  const file = files[path];
  if (!file) {
    res.writeHead(404);
    return res.end();
  }
  res.writeHead(200, { 'content-type': file[1] });
  res.end(await readFile(new URL(file[0], here)));
}).listen(port, '127.0.0.1', () => console.log(`http://127.0.0.1:${port}/`));
