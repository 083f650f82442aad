import { isRunning, terminate } from './child.js';
import type { ServiceName, ServiceProcess, Spare } from './service-process.js';

/**
 * A new spare is started this long after one was taken: loading one costs a core for a second or
 * more, which must not slow the replacement's start (on a busy machine, several seconds).
 */
const WARM_AFTER_MS = 10_000;
const STOP_GRACE_MS = 5_000;

/**
 * A warm spare per replica: a process that has loaded the modules every service needs and waits
 * (service-guard.ts). A crashed replica is replaced by a spare, which only has to connect and open
 * its store — most of a start, about a second on an idle machine and several on a busy one, is
 * loading modules — and replicas killed together are all replaced so. Spares load one at a time,
 * so that loading them never takes more than a core from the services. A spare that died while
 * waiting is not used, nor started again until taken.
 */
export class SparePool {
  readonly #spares = new Map<ServiceName, Spare[]>();
  readonly #wanted: ServiceName[] = [];
  readonly #timers = new Set<NodeJS.Timeout>();
  #pumping: Promise<void> | undefined;
  #stopped = false;

  constructor(
    private readonly counts: Record<ServiceName, number>,
    private readonly spawnSpare: (service: ServiceName) => Spare,
  ) {}

  /** Loads spares of each service, one after another, until it has one per replica. */
  warm(services: readonly ServiceName[]): void {
    for (const service of services) {
      const have = (this.#spares.get(service)?.length ?? 0) + this.#wanted.filter((s) => s === service).length;
      for (let i = have; i < this.counts[service]; i++) this.#wanted.push(service);
    }
    void this.#pump();
  }

  /** A spare of the service made `replica`, or undefined when none is there; one taken is warmed again after. */
  take(service: ServiceName, replica: number, env: Record<string, string>): ServiceProcess | undefined {
    const spare = this.#spares.get(service)?.shift();
    // None yet: the first start of the system, before `warm`.
    if (!spare) return undefined;
    const timer = setTimeout(() => {
      this.#timers.delete(timer);
      this.warm([service]);
    }, WARM_AFTER_MS);
    this.#timers.add(timer);
    return isRunning(spare.child) ? spare.start(replica, env) : undefined;
  }

  /** Stops every spare; none is started again. */
  async stop(): Promise<void> {
    this.#stopped = true;
    for (const timer of this.#timers) clearTimeout(timer);
    const spares = [...this.#spares.values()].flat();
    this.#spares.clear();
    await Promise.all(spares.map((spare) => terminate(spare.child, spare.exited, STOP_GRACE_MS)));
  }

  /** Resolves once every spare wanted so far has loaded. */
  async loaded(): Promise<void> {
    while (this.#pumping) await this.#pumping;
  }

  #pump(): Promise<void> {
    this.#pumping ??= (async () => {
      for (let service = this.#wanted.shift(); service && !this.#stopped; service = this.#wanted.shift()) {
        const spare = this.spawnSpare(service);
        this.#spares.set(service, [...(this.#spares.get(service) ?? []), spare]);
        await spare.loaded;
      }
    })().finally(() => {
      this.#pumping = undefined;
    });
    return this.#pumping;
  }
}
