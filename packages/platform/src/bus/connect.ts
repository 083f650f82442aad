import { connect, type NatsConnection } from '@nats-io/transport-node';
import type { Logger } from 'pino';

/** A connection that keeps reconnecting for as long as the process lives. */
export async function connectBus(servers: string, name: string, logger: Logger): Promise<NatsConnection> {
  const nc = await connect({
    servers: servers.split(','),
    name,
    maxReconnectAttempts: -1,
    reconnectTimeWait: 250,
    waitOnFirstConnect: true,
    // Every request would otherwise build two errors with stack traces up front, in case it fails.
    noAsyncTraces: true,
  });
  void (async () => {
    for await (const status of nc.status()) {
      if (status.type === 'disconnect' || status.type === 'reconnect' || status.type === 'error') {
        logger.warn({ nats: status.type }, 'bus connection status changed');
      }
    }
  })();
  return nc;
}
