export { type BuildAppOptions, buildApp } from './app.js';
export { type GatewayConfig, readGatewayConfig } from './config.js';
export { HTTP_ERRORS, toHttpError, type WpError } from './plugins/errors.js';
export { API_ROUTES, LEGACY_NAMESPACE, namespacesOf } from './routes/index.js';
export { type ApiRoute, type LiveSettings, type RouteGroup, routeKey } from './routes/route.js';
