import { tokensCommands } from '@headlesskey/contracts';
import type { CommandClient } from '@headlesskey/platform';
import type { FastifyPluginCallback } from 'fastify';
import { ANY_ERROR, errorResponse, RETRY_AFTER } from '../openapi/operation.js';
import { sendError } from '../plugins/errors.js';

/** `GET /.well-known/jwks.json`: the public keys that verify tokens (RS256/ES256; never a secret). */
export function wellKnownRoutes(bus: CommandClient): FastifyPluginCallback {
  return function wellKnown(scope, _options, done) {
    scope.get('/.well-known/jwks.json', { config: { openapi: JWKS } }, async (_request, reply) => {
      const answer = await bus.send(tokensCommands.jwks, {});
      if (!answer.ok) return sendError(reply, answer.error);
      // Short, so a rotation reaches verifiers soon; old keys stay listed until they expire.
      return reply.header('cache-control', 'public, max-age=300').send(answer.data);
    });
    done();
  };
}

const JWKS = {
  summary: 'The public keys that verify tokens (JWKS)',
  description: 'RS256 and ES256 keys, old ones kept until the last token they signed expires. Never an HS256 secret.',
  tags: ['keys'],
  security: [],
  response: {
    200: { ...tokensCommands.jwks.reply, description: 'The key set.' },
    503: errorResponse('The tokens service did not answer in time.', RETRY_AFTER),
    default: ANY_ERROR,
  },
};
