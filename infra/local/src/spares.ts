import { isRunning, terminate } from './child.js';
import type { ServiceName, ServiceProcess, Spare } from './service-process.js';

/** A new spare is started this long after one was taken: not while the replacement is starting. */
const WARM_AFTER_MS = 2_000;
const STOP_GRACE_MS = 5_000;

/**
 * A warm spare per replica: a process that has loaded the modules every service needs and waits
 * (service-guard.ts). A crashed replica is replaced by a spare, which only has to connect and open
 * its store — most of a start, about a second on an idle machine and several on a busy one, is
 * loading modules — and replicas killed together are all replaced so, none of them loading while
 * another starts. A spare that died while waiting is not used, nor started again until taken.
 */
export class SparePool {
  readonly #spares = new Map<ServiceName, Spare[]>();
  readonly #timers = new Set<NodeJS.Timeout>();
  #stopped = false;

  constructor(
    private readonly counts: Record<ServiceName, number>,
    private readonly spawnSpare: (service: ServiceName) => Spare,
  ) {}

  /** Starts spares of each service until it has one per replica. */
  warm(services: readonly ServiceName[]): void {
    for (const service of services) {
      const spares = this.#spares.get(service) ?? [];
      while (!this.#stopped && spares.length < this.counts[service]) spares.push(this.spawnSpare(service));
      this.#spares.set(service, spares);
    }
  }

  /** A spare of the service made `replica`, or undefined when none is ready; another is warmed after. */
  take(service: ServiceName, replica: number, env: Record<string, string>): ServiceProcess | undefined {
    const spare = this.#spares.get(service)?.shift();
    const timer = setTimeout(() => {
      this.#timers.delete(timer);
      this.warm([service]);
    }, WARM_AFTER_MS);
    this.#timers.add(timer);
    return spare && isRunning(spare.child) ? spare.start(replica, env) : undefined;
  }

  /** Stops every spare; none is started again. */
  async stop(): Promise<void> {
    this.#stopped = true;
    for (const timer of this.#timers) clearTimeout(timer);
    const spares = [...this.#spares.values()].flat();
    this.#spares.clear();
    await Promise.all(spares.map((spare) => terminate(spare.child, spare.exited, STOP_GRACE_MS)));
  }
}
