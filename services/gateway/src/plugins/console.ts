import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import fastifyStatic from '@fastify/static';
import type { FastifyInstance, FastifyReply } from 'fastify';
import type { ConsoleConfig } from '../config.js';
import { sendError } from './errors.js';

/** The console's page loads its own scripts and styles and calls its own origin, nothing else. */
export const CONSOLE_CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "frame-ancestors 'none'",
  "base-uri 'none'",
  "form-action 'self'",
].join('; ');

const HEADERS = {
  'content-security-policy': CONSOLE_CSP,
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
} as const;

/**
 * The admin console (packages/console) at `config.path`: its hashed assets cached for a year, its
 * index never, and every other path under it answered with the index, whose router shows the
 * screen. Without a build (the package not built yet) the path answers 503 in the API's shape and
 * the gateway runs on.
 */
export function registerConsole(app: FastifyInstance, config: ConsoleConfig, restBase: string): void {
  if (!config.enabled) return;
  const index = readIndex(config, restBase);
  if (index === undefined) {
    app.log.warn({ dir: config.dir }, 'the admin console is not built: its path answers 503');
  }
  app.register(async (scope) => {
    scope.addHook('onSend', async (_request, reply) => {
      reply.headers(HEADERS);
    });
    const page = (_request: unknown, reply: FastifyReply) => {
      if (index === undefined) return sendError(reply, { code: 'headlesskey_unavailable', message: 'The admin console is not built.' });
      return reply.header('cache-control', 'no-store').type('text/html; charset=utf-8').send(index);
    };
    if (index !== undefined) {
      await scope.register(fastifyStatic, {
        root: join(config.dir, 'assets'),
        prefix: `${config.path}assets/`,
        decorateReply: false,
        index: false,
        // Names carry their content's hash: a changed file is a new name.
        cacheControl: true,
        maxAge: '365d',
        immutable: true,
        etag: false,
        lastModified: false,
      });
    }
    scope.get(config.path, page);
    scope.get(`${config.path}*`, page);
  });
}

/**
 * The built index, told where its assets are (the build names them relative to the page, which a
 * deep link would break) and which REST base to call. Undefined when there is no build.
 */
function readIndex(config: ConsoleConfig, restBase: string): string | undefined {
  const file = join(config.dir, 'index.html');
  if (!existsSync(file)) return undefined;
  return readFileSync(file, 'utf8')
    .replaceAll('="./', `="${config.path}`)
    .replace(/<meta name="headlesskey-api" content="[^"]*"/, `<meta name="headlesskey-api" content="${restBase}"`);
}
