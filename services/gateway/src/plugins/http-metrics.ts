import { METRICS } from '@headlesskey/contracts';
import { recorder } from '@headlesskey/platform';
import type { FastifyInstance } from 'fastify';

const duration = recorder(METRICS.httpServerDuration);

/**
 * Times every answered request into `http.server.request.duration`, by method, route template
 * (never the path: ids would make a series each) and status. A request that matched no route has
 * no `http.route`.
 */
export function registerHttpMetrics(app: FastifyInstance): void {
  app.addHook('onResponse', (request, reply, done) => {
    const route = request.routeOptions.url;
    duration.record(reply.elapsedTime / 1000, {
      'http.request.method': request.method,
      'http.response.status_code': reply.statusCode,
      ...(route === undefined ? {} : { 'http.route': route }),
    });
    done();
  });
}
