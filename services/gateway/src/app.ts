import { randomUUID } from 'node:crypto';
import { ajvStringFormats } from '@headlesskey/contracts';
import type { AnswerStore, CommandClient, Logger, RateLimiter } from '@headlesskey/platform';
import Fastify, { type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import { coalesceCommands } from './commands/coalesce.js';
import type { GatewayConfig } from './config.js';
import { registerClosing } from './plugins/closing.js';
import { registerConsole } from './plugins/console.js';
import { registerContentTypes } from './plugins/content-types.js';
import { registerCors } from './plugins/cors.js';
import { clientError, frameworkError, registerErrorHandling } from './plugins/errors.js';
import { registerHttpMetrics } from './plugins/http-metrics.js';
import { registerOpenApi } from './plugins/openapi.js';
import { registerRequestContext } from './plugins/request-context.js';
import { registerTracing } from './plugins/tracing.js';
import { mountRoutes } from './routes/index.js';
import type { LiveSettings } from './routes/route.js';

export interface BuildAppOptions {
  config: GatewayConfig;
  /** Where commands go; its default timeout is the command timeout. */
  bus: CommandClient;
  /** The live settings (the settings bucket's watcher): the access policy is read per request. */
  settings: LiveSettings;
  /** The shared per-client budgets (the rate-limit bucket); without it nothing is rate-limited (tests). */
  limiter?: RateLimiter;
  /** The shared answers of requests with an `Idempotency-Key`; without it the header is ignored (tests). */
  answers?: AnswerStore;
  /** Without one, Fastify logs nothing (tests). */
  logger?: Logger;
}

/**
 * Builds the gateway's Fastify app without listening, so tests drive it through `inject()`.
 * Infrastructure first (errors, parsers, context, tracing, CORS, the OpenAPI document), then the
 * routes that rely on it.
 */
export function buildApp({ config, bus, settings, limiter, answers, logger }: BuildAppOptions): FastifyInstance {
  const app = Fastify({
    ...(logger ? { loggerInstance: fastifyLogger(logger) } : { logger: false }),
    // No child logger per request: log lines carry the trace id instead (see createLogger).
    childLoggerFactory: (parent) => parent,
    bodyLimit: config.bodyLimit,
    onProtoPoisoning: 'error',
    onConstructorPoisoning: 'error',
    // Answered in the API's shape instead (see `registerClosing`).
    return503OnClosing: false,
    trustProxy: config.trustedProxies.length > 0 ? config.trustedProxies : false,
    genReqId: () => randomUUID(),
    // A client never picks the id that ends up in events and logs.
    requestIdHeader: false,
    routerOptions: { ignoreTrailingSlash: true },
    frameworkErrors: frameworkError,
    clientErrorHandler: clientError,
    // Reply schemas that need ajv (`anyOf`) are compiled by the serializer's own: it knows the
    // contract's formats too, rather than warning of an unknown one at every start.
    serializerOpts: { ajv: { formats: ajvStringFormats() } },
    ajv: {
      // No coercion: `["admin"]` must not become "admin", nor `1` become "1" (type confusion).
      // The contract's string formats (what a valid string is), as the services check them too.
      // `verbose`: each error carries its schema, so a refusal can name both bounds or every choice.
      customOptions: {
        coerceTypes: false,
        removeAdditional: false,
        useDefaults: true,
        allErrors: true,
        verbose: true,
        formats: ajvStringFormats(),
      },
    },
  });
  registerErrorHandling(app);
  registerContentTypes(app);
  registerRequestContext(app);
  registerTracing(app);
  registerHttpMetrics(app);
  registerCors(app, config.cors);
  registerClosing(app);
  registerOpenApi(app, config);
  registerConsole(app, config.console, `/wp-json/${config.namespace}/${config.version}`);
  const limits = limiter ? { limiter, rules: config.rateLimits } : undefined;
  // A request sends at most a few commands in a row: a claim held past three of their timeouts
  // belongs to a gateway that stopped in it.
  const routeAnswers = answers ? { store: answers, staleAfterMs: 3 * config.commandTimeoutMs } : undefined;
  mountRoutes(app, config, { bus: coalesceCommands(bus, config.commandTimeoutMs), settings, limits, answers: routeAnswers });
  return app;
}

/** Fastify's own lines below `warn` (each request, each listen) are noise on the hot path. */
function fastifyLogger(logger: Logger): FastifyBaseLogger {
  const level = logger.levelVal > logger.levels.values.warn! ? logger.level : 'warn';
  return logger.child({ component: 'http' }, { level });
}
