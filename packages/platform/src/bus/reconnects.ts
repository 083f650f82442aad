import type { NatsConnection } from '@nats-io/transport-node';

/**
 * Tells its listeners each time the connection to NATS is made again. A request sent while the
 * connection was down (NATS restarting, a failover) is not known to have reached anyone, and was
 * seen to go unanswered after the connection came back: a caller that may send it again does so
 * at once, instead of waiting out its deadline.
 */
export interface Reconnects {
  /** Calls `listener` on each reconnect until the returned function is called. */
  on(listener: () => void): () => void;
}

export function watchReconnects(nc: NatsConnection): Reconnects {
  const listeners = new Set<() => void>();
  void (async () => {
    for await (const status of nc.status()) {
      if (status.type === 'reconnect') for (const listener of [...listeners]) listener();
    }
  })();
  return {
    on(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
}
