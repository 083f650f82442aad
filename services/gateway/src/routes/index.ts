import type { FastifyInstance, FastifyPluginCallback } from 'fastify';
import type { GatewayConfig } from '../config.js';
import { ANY_ERROR, operationOf } from '../openapi/operation.js';
import { exportRoutes } from './account-export.js';
import { emailVerificationRoutes } from './email-verification.js';
import { healthRoutes } from './health.js';
import { keyRoutes } from './keys.js';
import { logRoutes } from './logs.js';
import { namespaceIndex } from './namespace-index.js';
import { passwordRoutes } from './password-routes.js';
import { registrationRoutes } from './register.js';
import { type RouteGroup, type RouteServices, routeGroupPlugin } from './route.js';
import { sessionRoutes } from './session-routes.js';
import { settingsRoutes } from './settings.js';
import { ssoRoutes } from './sso.js';
import { statsRoutes } from './stats.js';
import { tokenRoutes } from './token.js';
import { userRoutes } from './users.js';
import { webhookRoutes } from './webhooks.js';
import { wellKnownRoutes } from './well-known.js';

/** Every route group under the REST namespace. A new group is a new file and one line here. */
export const API_ROUTES: readonly RouteGroup[] = [
  tokenRoutes,
  registrationRoutes,
  sessionRoutes,
  keyRoutes,
  exportRoutes,
  passwordRoutes,
  emailVerificationRoutes,
  logRoutes,
  settingsRoutes,
  webhookRoutes,
  ssoRoutes,
  userRoutes,
  statsRoutes,
];

/** The plugin page's own default namespace, served as an alias of ours. */
export const LEGACY_NAMESPACE = 'wpauthapi/v1';

/** The namespaces (`headlesskey/v1`, and the legacy alias unless it is off or the same) served. */
export function namespacesOf(config: Pick<GatewayConfig, 'namespace' | 'version' | 'legacyNamespace'>): string[] {
  const primary = `${config.namespace}/${config.version}`;
  return config.legacyNamespace && primary !== LEGACY_NAMESPACE ? [primary, LEGACY_NAMESPACE] : [primary];
}

/**
 * Mounts the route table under each namespace, with its index, and the health routes beside.
 * Only the first namespace is in the OpenAPI document: the alias serves the very same routes.
 */
export function mountRoutes(app: FastifyInstance, config: GatewayConfig, services: RouteServices, groups = API_ROUTES): void {
  namespacesOf(config).forEach((namespace, i) => {
    app.register(namespacePlugin(namespace, groups, services, i === 0), { prefix: `/wp-json/${namespace}` });
  });
  app.register(healthRoutes(services.bus));
  app.register(wellKnownRoutes(services.bus));
}

function namespacePlugin(
  namespace: string,
  groups: readonly RouteGroup[],
  services: RouteServices,
  documented: boolean,
): FastifyPluginCallback {
  const index = namespaceIndex(namespace, groups);
  const openapi = documented ? INDEX_OPERATION : undefined;
  return function restNamespace(scope, _options, done) {
    scope.get('/', { config: { openapi } }, async () => index);
    for (const group of groups) scope.register(routeGroupPlugin(group, services, documented ? operationOf : undefined));
    done();
  };
}

const INDEX_OPERATION = {
  summary: 'The routes of this namespace',
  description: 'Shaped as WordPress lists a namespace: each route with its methods and arguments.',
  tags: ['index'],
  security: [],
  response: {
    200: { description: 'The index.', type: 'object', properties: { namespace: { type: 'string' }, routes: { type: 'object' } } },
    default: ANY_ERROR,
  },
};
