import type { FastifyInstance } from 'fastify';
import { sendError } from './errors.js';

/**
 * While the gateway shuts down, a request that still reaches it (pipelined, or on a keep-alive
 * connection) answers 503 `headlesskey_unavailable` in the API's own shape, so a client retries
 * elsewhere: Fastify's `return503OnClosing` would answer a body of its own. Registered after the
 * CORS plugin, so a browser can read that answer too.
 */
export function registerClosing(app: FastifyInstance): void {
  let closing = false;
  app.addHook('preClose', (done) => {
    closing = true;
    done();
  });
  app.after(() => {
    app.addHook('onRequest', (_request, reply, done) => {
      if (!closing) return done();
      sendError(reply, { code: 'headlesskey_unavailable' });
    });
  });
}
