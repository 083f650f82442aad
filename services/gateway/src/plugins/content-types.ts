import formbody from '@fastify/formbody';
import { DomainError } from '@headlesskey/platform';
import type { FastifyInstance } from 'fastify';

/**
 * Bodies are JSON objects or form fields, as WordPress takes them; any other media type finds no
 * parser and Fastify answers 415 (mapped by the error handler).
 */
export function registerContentTypes(app: FastifyInstance): void {
  // Drops Fastify's text/plain parser along with its JSON one.
  app.removeAllContentTypeParsers();
  // Poisoned keys are refused outright (not stripped), so a poisoned body is invalid JSON.
  const parseJson = app.getDefaultJsonParser('error', 'error');
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (request, body, done) => {
    const text = body as string;
    // `Content-Type: application/json` with no body is a request with no parameters, as in WordPress.
    if (text.length === 0) return done(null, {});
    parseJson(request, text, (err, value) => {
      if (err || !isPlainObject(value)) return done(new DomainError('headlesskey_invalid_json'), undefined);
      done(null, value);
    });
  });
  app.register(formbody);
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
