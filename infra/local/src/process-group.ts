import { isRunning, terminate } from './child.js';
import type { ServiceName, ServiceProcess } from './service-process.js';

/** The gateway last: once it answers `/readyz`, everything it asks is already up. */
export const START_ORDER: readonly ServiceName[] = ['identity', 'tokens', 'audit', 'webhooks', 'gateway'];
const STOP_GRACE_MS = 10_000;

/** Every process of one system, exited ones included: starting, signalling and stopping them. */
export class ProcessGroup {
  readonly #started = new Map<ServiceName, ServiceProcess[]>();
  #stopping: Promise<void> | undefined;
  // A supervisor that dies without stop() (a crashed test worker) must not leave services behind.
  readonly #killLeftovers = () => {
    for (const p of this.all()) if (isRunning(p.child)) p.child.kill('SIGKILL');
  };

  constructor(
    private readonly replicas: Record<ServiceName, number>,
    private readonly spawnOne: (service: ServiceName, replica: number) => ServiceProcess,
  ) {
    process.on('exit', this.#killLeftovers);
  }

  all(): ServiceProcess[] {
    return START_ORDER.flatMap((service) => this.#started.get(service) ?? []);
  }

  running(service: ServiceName): ServiceProcess[] {
    return (this.#started.get(service) ?? []).filter((p) => isRunning(p.child));
  }

  /** Starts the configured replicas of a service; refused once stopping has begun. */
  launch(service: ServiceName): ServiceProcess[] {
    if (this.#stopping) throw new Error('the system has been stopped');
    const fresh = Array.from({ length: this.replicas[service] }, (_, replica) => this.spawnOne(service, replica));
    this.#started.set(service, [...(this.#started.get(service) ?? []), ...fresh]);
    return fresh;
  }

  async terminate(service: ServiceName): Promise<void> {
    await Promise.all(this.running(service).map((p) => terminate(p.child, p.exited, STOP_GRACE_MS)));
  }

  /** SIGTERM to the gateway, then to the rest; SIGKILL after 10 s. Idempotent. */
  stop(): Promise<void> {
    this.#stopping ??= (async () => {
      // The gateway first, so no new request reaches a service that is draining.
      await this.terminate('gateway');
      await Promise.all(START_ORDER.map((service) => this.terminate(service)));
      process.off('exit', this.#killLeftovers);
    })();
    return this.#stopping;
  }
}
