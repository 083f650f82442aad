/**
 * Where to send a command again (see hedge.ts). A first attempt goes to the service's queue group,
 * where NATS hands it to a replica at random, and a replica that has stopped answering (paused,
 * cut off, swamped) still takes its share. A repeat sent the same way may land on that replica
 * again, as often as attempts fit in the deadline. So a repeat goes to one replica on a subject of
 * its own (`Names.replicaCommand`): the one whose answer came last, then for each further repeat
 * the next freshest not yet tried. A replica answering other commands now is the likeliest to
 * answer this one. Replicas unheard of for a while are forgotten; when none is left to try, the
 * repeat goes to the queue group as the first did.
 */
export interface RecentReplicas {
  /** A reply came from `replica` of `service`. */
  answered(service: string, replica: string): void;
  /** NATS says nobody listens on the replica's subject: it has gone. */
  gone(service: string, replica: string): void;
  /** The freshest replica of `service` not in `tried`, or none. */
  next(service: string, tried: ReadonlySet<string>): string | undefined;
}

/** A replica silent for this long is no better a guess than the queue group. */
export const FORGET_AFTER_MS = 10_000;

/** The reply header naming the replica that answered. */
export const REPLICA_HEADER = 'hk-replica';

export function recentReplicas(now: () => number = Date.now): RecentReplicas {
  // Per service, replicas in the order of their last answer: a Map keeps insertion order.
  const services = new Map<string, Map<string, number>>();
  const of = (service: string) => {
    const replicas = services.get(service) ?? new Map<string, number>();
    services.set(service, replicas);
    return replicas;
  };
  return {
    answered(service, replica) {
      const replicas = of(service);
      replicas.delete(replica);
      replicas.set(replica, now());
    },
    gone(service, replica) {
      services.get(service)?.delete(replica);
    },
    next(service, tried) {
      const replicas = services.get(service);
      if (!replicas) return undefined;
      for (const [replica, at] of [...replicas].reverse()) {
        if (now() - at > FORGET_AFTER_MS) {
          replicas.delete(replica);
          continue;
        }
        if (!tried.has(replica)) return replica;
      }
      return undefined;
    },
  };
}
