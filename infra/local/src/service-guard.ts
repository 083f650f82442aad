/**
 * Loaded into every service process the supervisor starts (`node --import`), so the services
 * themselves know nothing of it.
 *
 * - The supervisor holds an IPC channel to each service. When the supervisor is gone, even
 *   SIGKILLed, the channel closes and the service stops as on SIGTERM: nothing is orphaned.
 * - The gateway answers `/readyz` with the run token the supervisor put in its environment, so
 *   the supervisor can tell its own gateway from another process that holds the port.
 * - A spare (spares.ts) loads the modules every service needs, then waits here, before the
 *   service's own code runs, until the supervisor hands it a replica's environment.
 */
import diagnostics from 'node:diagnostics_channel';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { RUN_TOKEN_ENV, RUN_TOKEN_HEADER } from './run-token.js';
import { SPARE_ENV, type SpareLoaded, type SpareStart } from './spare-protocol.js';

const stop = () => process.kill(process.pid, 'SIGTERM');
// The channel must not keep a service alive that is done draining.
process.channel?.unref();
// Loading this module takes turns of the event loop, in which a supervisor that died at once
// may already have been noticed.
if (process.connected) process.once('disconnect', stop);
else stop();

const token = process.env[RUN_TOKEN_ENV];
if (token) {
  diagnostics.subscribe('http.server.request.start', (message) => {
    const { request, response } = message as { request: IncomingMessage; response: ServerResponse };
    if (request.url === '/readyz') response.setHeader(RUN_TOKEN_HEADER, token);
  });
}

if (process.env[SPARE_ENV]) {
  process.channel?.ref();
  // Listening before loading: the supervisor may make a spare a replica while it still loads.
  const started = new Promise<SpareStart>((resolve) => process.once('message', (message) => resolve(message as SpareStart)));
  // Most of a service's start is loading these (an ORM, telemetry, drivers): done while idle.
  await import('@headlesskey/platform');
  process.send?.({ loaded: true } satisfies SpareLoaded);
  const start = await started;
  process.channel?.unref();
  delete process.env[SPARE_ENV];
  Object.assign(process.env, start.env);
}
