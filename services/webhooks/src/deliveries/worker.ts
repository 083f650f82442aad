import { type Liveness, type Logger, type Resolver, type Store, startBackgroundLoop, throughDatabaseOutages } from '@headlesskey/platform';
import type { WebhooksConfig } from '../config.js';
import { webhookHeaders } from '../signing/sign.js';
import { type ClaimedDelivery, claimForEndpoint, dueEndpoints, leaseHolders, msUntilNextDue, releaseLeases } from './claim.js';
import { countAttempt } from './metrics.js';
import { nextStep } from './outcome.js';
import { recordAttempt } from './record.js';
import { postWebhook } from './send.js';

export interface WorkerOptions {
  store: Store;
  config: WebhooksConfig;
  logger: Logger;
  /** Called once a delivery has used its last attempt (or its endpoint is gone). */
  onDead(delivery: ClaimedDelivery, error: string): void;
  /** Names this worker's leases, and tells whether another's holder still runs. */
  liveness: Liveness;
  resolve?: Resolver;
}

export interface DeliveryWorker {
  /** Look for due deliveries now (new rows were written). */
  wake(): void;
  /** Stops claiming and waits for the attempts in flight (each ends within its timeout). */
  stop(): Promise<void>;
}

/** A lease outlasts the attempt's timeout by this much, so only a dead worker's lease runs out. */
const LEASE_MARGIN_MS = 5_000;
const ENDPOINTS_PER_ROUND = 100;
/** How long past its lease an attempt's outcome is still tried: a re-claim makes the write miss. */
const RECORD_GRACE_MS = 30_000;
/** How often leases held by other processes are checked for a holder that has gone. */
const REAP_EVERY_MS = 1_000;

/**
 * Attempts due deliveries, with at most `concurrency` in flight in this replica and at most
 * `endpointConcurrency` for any one endpoint, so a slow or dead endpoint holds a few slots and
 * never the others. Each attempt runs on its own; the loop sleeps until the next delivery is due,
 * a new one is queued, or an attempt ends.
 */
export function startDeliveryWorker(opts: WorkerOptions): DeliveryWorker {
  const { store, config, logger } = opts;
  const policy = { schedule: config.retrySchedule, scale: config.retryScale };
  const leaseMs = config.timeoutMs + LEASE_MARGIN_MS;
  const inFlight = new Set<Promise<void>>();

  const attempt = async (delivery: ClaimedDelivery) => {
    const leaseEnds = Date.now() + leaseMs;
    const timestamp = Math.floor(Date.now() / 1000);
    const headers = webhookHeaders(delivery.secrets, delivery.messageId, timestamp, delivery.body);
    const result = await postWebhook(delivery.url, delivery.body, headers, {
      timeoutMs: config.timeoutMs,
      allowPrivate: config.allowPrivate,
      resolve: opts.resolve,
    });
    const next = nextStep(result, delivery.attempt, policy, Math.random(), Date.now());
    // The receiver has its answer: a database restart now must not leave the lease to run out,
    // or the delivery is claimed and sent again. The write holds while our claim token does, so
    // it is tried on until the lease ends (and a little past it, with nobody having claimed it).
    const recorded = await throughDatabaseOutages(() => recordAttempt(store, delivery, result, next), {
      giveUp: () => Date.now() > leaseEnds + RECORD_GRACE_MS || (loop.stopping && Date.now() > leaseEnds),
    });
    if (recorded) countAttempt(next);
    if (recorded && next.status === 'dead') opts.onDead(delivery, next.error);
  };

  const track = (delivery: ClaimedDelivery) => {
    const running: Promise<void> = attempt(delivery)
      .catch((err) => logger.warn({ err, delivery: delivery.id }, 'delivery attempt could not be recorded; its lease will run out'))
      .finally(() => {
        inFlight.delete(running);
        loop.wake();
      });
    inFlight.add(running);
  };

  // A worker killed mid-attempt leaves leases that hold its endpoints' slots until they run out.
  let reapedAt = 0;
  const reap = async () => {
    if (Date.now() - reapedAt < REAP_EVERY_MS) return;
    reapedAt = Date.now();
    for (const holder of await leaseHolders(store, opts.liveness.self)) {
      if (!(await opts.liveness.gone(holder))) continue;
      const released = await releaseLeases(store, holder);
      if (released > 0) logger.warn({ holder, released }, 'leases of a delivery worker that has gone released');
    }
  };

  /** Claims what it can; answers how many attempts it started. */
  const round = async (): Promise<number> => {
    await reap();
    let free = config.concurrency - inFlight.size;
    let started = 0;
    if (free <= 0) return 0;
    for (const endpointId of await dueEndpoints(store, ENDPOINTS_PER_ROUND)) {
      if (free <= 0 || loop.stopping) break;
      const claimed = await claimForEndpoint(store, endpointId, free, config.endpointConcurrency, leaseMs, opts.liveness.self);
      for (const delivery of claimed) track(delivery);
      free -= claimed.length;
      started += claimed.length;
    }
    return started;
  };

  // A wake-up while claiming is kept: the loop then claims again rather than sleep.
  const loop = startBackgroundLoop({
    name: 'claiming deliveries',
    logger,
    intervalMs: config.pollMs,
    async step() {
      if ((await round()) > 0) return 'more';
      return msUntilNextDue(store, config.pollMs).catch(() => config.pollMs);
    },
  });

  return {
    wake: loop.wake,
    async stop() {
      await loop.stop();
      await Promise.allSettled([...inFlight]);
    },
  };
}
