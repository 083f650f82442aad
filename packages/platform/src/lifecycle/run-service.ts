import type { NatsConnection } from '@nats-io/transport-node';
import closeWithGrace from 'close-with-grace';
import type { Logger } from 'pino';
import { connectBus } from '../bus/connect.js';
import { type CommonConfig, readCommonConfig } from '../config/common.js';
import { ConfigError } from '../config/env.js';
import { createLogger } from '../logging/logger.js';
import { startTelemetry } from '../telemetry/sdk.js';

export interface ServiceRuntime {
  config: CommonConfig;
  logger: Logger;
  nc: NatsConnection;
}

/** What a service hands back once it runs: how to stop it, in order. */
export interface RunningService {
  close(): Promise<void>;
}

const GRACE_MS = 10_000;

/**
 * Boots one service process: config, telemetry, logger, bus. On SIGTERM/SIGINT it stops taking
 * work, lets what is in flight finish, drains the bus and exits 0. A bad setting in the
 * environment stops it at once with a one-line error.
 */
export async function runService(service: string, start: (rt: ServiceRuntime) => Promise<RunningService>): Promise<void> {
  let config: CommonConfig;
  try {
    config = readCommonConfig();
  } catch (err) {
    exitWithConfigError(service, err);
  }
  const telemetry = startTelemetry(service, process.env, config.metrics);
  const logger = createLogger(service, config.logLevel);
  let nc: NatsConnection | undefined;
  let running: RunningService | undefined;
  closeWithGrace({ delay: GRACE_MS }, async ({ err, signal }) => {
    if (err) logger.error({ err }, 'stopping after an unexpected error');
    else logger.info({ signal }, 'stopping');
    await running?.close();
    await nc?.drain();
    await telemetry.shutdown();
  });
  try {
    await telemetry.ready;
    nc = await connectBus(config.natsUrl, `headlesskey-${service}`, logger);
    running = await start({ config, logger, nc });
    logger.info({ instance: config.instance }, `${service} ready`);
  } catch (err) {
    if (err instanceof ConfigError) exitWithConfigError(service, err);
    logger.fatal({ err }, `${service} failed to start`);
    process.exit(1);
  }
}

function exitWithConfigError(service: string, err: unknown): never {
  if (!(err instanceof ConfigError)) throw err;
  process.stderr.write(`${service}: configuration error: ${err.message}\n`);
  process.exit(1);
}
