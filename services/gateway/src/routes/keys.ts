import { ImportKeyBody, PRIVATE_KEY_MAX, tokensCommands } from '@headlesskey/contracts';
import { defineRoute, type RouteGroup } from './route.js';

/** Room for the longest PEM the body takes, escaped in JSON, beside the other fields. */
const IMPORT_BODY_LIMIT = 2 * PRIVATE_KEY_MAX + 1024;

/** An administrator's signing keys: list, rotate, import. No answer carries key material. */
export const keyRoutes: RouteGroup = {
  name: 'keys',
  routes: [
    defineRoute({
      method: 'GET',
      url: '/keys',
      noStore: true,
      summary: 'List the signing keys',
      description:
        "Every signing key: its kid, algorithm, source (`environment`, `generated`, `imported`), state and dates, and the algorithm new tokens are signed with. Never a key's secret or private part.",
      response: tokensCommands.listKeys.reply,
      handle: ({ bus }) => bus.send(tokensCommands.listKeys, {}),
    }),
    defineRoute({
      method: 'POST',
      url: '/keys/rotate',
      idempotent: true,
      summary: 'Rotate the signing key',
      description:
        'A key imported without `activate` signs from now; otherwise a new key is generated. Old public keys stay in the JWKS until the last token they signed expires.',
      response: tokensCommands.rotateKey.reply,
      handle: ({ request, bus }) => bus.send(tokensCommands.rotateKey, { context: request.requestContext }),
    }),
    defineRoute({
      method: 'POST',
      url: '/keys/import',
      idempotent: true,
      noStore: true,
      bodyLimit: IMPORT_BODY_LIMIT,
      summary: 'Import a PEM private key',
      description:
        'An unencrypted RSA (2048 bits or more, RS256) or EC P-256 (ES256) private key, kept as generated keys are and never echoed. With `activate` it signs now and the key it replaces verifies until its last token expires; without, its public key is published now and it signs from the next rotation.',
      body: ImportKeyBody,
      response: tokensCommands.importKey.reply,
      errors: ['headlesskey_forbidden'],
      handle: ({ body, request, bus }) =>
        bus.send(tokensCommands.importKey, {
          algorithm: body.algorithm,
          private_key: body.private_key,
          activate: body.activate ?? false,
          context: request.requestContext,
        }),
    }),
  ],
};
