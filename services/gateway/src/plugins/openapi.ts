import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import { ErrorResponse } from '@headlesskey/contracts';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { GatewayConfig } from '../config.js';
import { BEARER_SCHEME, ERROR_SCHEMA_ID, type OpenApiOperation, operationIdOf, REQUEST_REFUSED } from '../openapi/operation.js';
import { LEGACY_NAMESPACE } from '../routes/index.js';

/** The browsable page loads only its own files: nothing from another host, no inline script. */
const DOCS_CSP = [
  "default-src 'self'",
  "base-uri 'self'",
  "connect-src 'self'",
  "img-src 'self' data:",
  "style-src 'self' 'unsafe-inline'",
  "script-src 'self'",
  "object-src 'none'",
  "frame-ancestors 'none'",
].join('; ');

/**
 * The OpenAPI 3.1 document, generated from the routes themselves (each route's `config.openapi`;
 * a route without one is left out), at `/docs/openapi.json`, and a Swagger UI page at `/docs`
 * whose files all ship in the package. Registered before the routes, so it sees every one.
 */
export function registerOpenApi(app: FastifyInstance, config: GatewayConfig): void {
  app.addSchema({ ...ErrorResponse, $id: ERROR_SCHEMA_ID });
  const namespace = `/wp-json/${config.namespace}/${config.version}`;
  app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: { title: 'HeadlessKey', version: config.version, description: description(config), license: LICENSE },
      // Relative: the paths are whole, so the document serves whichever host and scheme served it.
      servers: [{ url: '/', description: 'The gateway that serves this document.' }],
      components: { securitySchemes: { [BEARER_SCHEME]: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' } } },
    },
    // Shared schemas keep their own name in `components.schemas`.
    refResolver: { buildLocalReference: (json, _baseUri, _fragment, i) => (typeof json.$id === 'string' ? json.$id : `def-${i}`) },
    transform: ({ route, url }) => {
      const operation = route.config?.openapi;
      if (!operation) return { schema: { hide: true }, url };
      const path = url.startsWith(namespace) ? url.slice(namespace.length) : url;
      return { schema: completed(operation, operationIdOf(String(route.method), path)), url };
    },
  });
  // In a scope of its own, so the page's hook runs on the page's routes alone.
  app.register(async function docsPage(scope) {
    scope.addHook('onSend', pointAtDocument);
    await scope.register(swaggerUi, {
      routePrefix: '/docs',
      staticCSP: DOCS_CSP,
      // The base layout: this one document, without a top bar of the framework's logo and a URL box.
      uiConfig: { deepLinking: true, layout: 'BaseLayout' },
      theme: { title: 'HeadlessKey API' },
    });
  });
  app.get('/docs/openapi.json', async () => app.swagger());
}

/** The project states no license: the document says so rather than implying one. */
const LICENSE = { name: 'All rights reserved (no license granted)', identifier: 'LicenseRef-All-Rights-Reserved' };

/** What every operation has beside its own data: its id, and the answers of the HTTP server itself. */
function completed(operation: OpenApiOperation, operationId: string): OpenApiOperation & { operationId: string } {
  return { ...operation, operationId, response: { ...operation.response, '4XX': REQUEST_REFUSED } };
}

/**
 * Swagger UI's page loads the document from the plugin's own `./json`; it is pointed at
 * `/docs/openapi.json`, the document's one address, instead (the plugin offers no option for it).
 */
async function pointAtDocument(request: FastifyRequest, _reply: FastifyReply, payload: unknown): Promise<unknown> {
  if (!request.url.endsWith('/swagger-initializer.js') || typeof payload !== 'string') return payload;
  return payload.replace("resolveUrl('./json')", "resolveUrl('./openapi.json')");
}

function description(config: GatewayConfig): string {
  const alias = config.legacyNamespace ? ` Every route is also served under \`/wp-json/${LEGACY_NAMESPACE}\`.` : '';
  return [
    'The REST API of the WordPress plugin "HeadlessKey – JWT Auth", served by a standalone gateway.',
    `Bodies are JSON or form fields.${alias}`,
    'A token is sent as `Authorization: Bearer <token>` (or, where a route takes one, in the body field `token`); never in the query string.',
    'Every error is `{ code, message, data: { status } }`, the WordPress REST error shape.',
  ].join(' ');
}
