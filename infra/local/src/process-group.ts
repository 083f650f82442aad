import { describeExit, isRunning, type ProcessExit, terminate } from './child.js';
import { afterCrash, type RestartPolicy } from './restart-policy.js';
import type { ServiceName, ServiceProcess } from './service-process.js';

/** The gateway last: once it answers `/readyz`, everything it asks is already up. */
export const START_ORDER: readonly ServiceName[] = ['identity', 'tokens', 'audit', 'webhooks', 'gateway'];
const STOP_GRACE_MS = 10_000;

/** What the group tells its owner while it supervises. */
export interface Supervision {
  policy: RestartPolicy;
  /** A replica exited on its own and is started again after `delayMs`; its service's `crashes` within the window. */
  restarting(crashed: ServiceProcess, exit: ProcessExit, delayMs: number, crashes: number): void;
  /** A crash loop: the group is stopping everything; `reason` is one line. */
  gaveUp(reason: string): void;
}

/**
 * Every process of one system, exited ones included: starting, supervising, signalling and
 * stopping them. A replica that exits on its own is started again with backoff, unless its
 * service was stopped on purpose (`hold`, `terminate`) or crashes in a loop.
 */
export class ProcessGroup {
  readonly #started = new Map<ServiceName, ServiceProcess[]>();
  readonly #crashes = new Map<ServiceName, number[]>();
  readonly #restarts = new Map<ServiceName, number>();
  readonly #held = new Set<ServiceName>();
  readonly #pending = new Map<NodeJS.Timeout, ServiceName>();
  #stopping: Promise<void> | undefined;
  // A supervisor that dies without stop() (a crashed test worker) must not leave services behind.
  readonly #killLeftovers = () => {
    for (const p of this.all()) if (isRunning(p.child)) p.child.kill('SIGKILL');
  };

  constructor(
    private readonly replicas: Record<ServiceName, number>,
    private readonly spawnOne: (service: ServiceName, replica: number) => ServiceProcess,
    private readonly supervision: Supervision,
  ) {
    process.on('exit', this.#killLeftovers);
  }

  all(): ServiceProcess[] {
    return START_ORDER.flatMap((service) => this.#started.get(service) ?? []);
  }

  running(service: ServiceName): ServiceProcess[] {
    return (this.#started.get(service) ?? []).filter((p) => isRunning(p.child));
  }

  /** How often the supervisor started a crashed replica of the service again. */
  restarts(service: ServiceName): number {
    return this.#restarts.get(service) ?? 0;
  }

  /** Starts the configured replicas of a service and supervises them; refused once stopping has begun. */
  launch(service: ServiceName): ServiceProcess[] {
    if (this.#stopping) throw new Error('the system has been stopped');
    this.#held.delete(service);
    return Array.from({ length: this.replicas[service] }, (_, replica) => this.#spawn(service, replica));
  }

  /** From now on, exits of the service are meant: nothing is restarted until the next `launch`. */
  hold(service: ServiceName): void {
    this.#held.add(service);
    for (const [timer, pending] of this.#pending) {
      if (pending !== service) continue;
      clearTimeout(timer);
      this.#pending.delete(timer);
    }
  }

  /** Holds the service, then stops its replicas: SIGTERM, SIGKILL after 10 s. */
  async terminate(service: ServiceName): Promise<void> {
    this.hold(service);
    await Promise.all(this.running(service).map((p) => terminate(p.child, p.exited, STOP_GRACE_MS)));
  }

  /** SIGTERM to the gateway, then to the rest; SIGKILL after 10 s. Idempotent. */
  stop(): Promise<void> {
    for (const service of START_ORDER) this.hold(service);
    this.#stopping ??= (async () => {
      // The gateway first, so no new request reaches a service that is draining.
      await this.terminate('gateway');
      await Promise.all(START_ORDER.map((service) => this.terminate(service)));
      process.off('exit', this.#killLeftovers);
    })();
    return this.#stopping;
  }

  #spawn(service: ServiceName, replica: number): ServiceProcess {
    const p = this.spawnOne(service, replica);
    this.#started.set(service, [...(this.#started.get(service) ?? []), p]);
    void p.exited.then((exit) => this.#exited(p, exit));
    return p;
  }

  #exited(p: ServiceProcess, exit: ProcessExit): void {
    if (this.#stopping || this.#held.has(p.service)) return;
    const { policy } = this.supervision;
    const verdict = afterCrash(policy, this.#crashes.get(p.service) ?? [], Date.now());
    this.#crashes.set(p.service, verdict.recent);
    if (!verdict.restart) {
      const window = Math.round(policy.windowMs / 1000);
      const output = p.output();
      const reason = `${p.service} ${describeExit(exit)}: ${verdict.recent.length} crashes within ${window} s; stopping HeadlessKey`;
      // Piped output (tests) explains the crash; with inherited output it is already on screen.
      this.supervision.gaveUp(output ? `${reason}:\n${output}` : reason);
      void this.stop();
      return;
    }
    this.supervision.restarting(p, exit, verdict.delayMs, verdict.recent.length);
    const timer = setTimeout(() => {
      this.#pending.delete(timer);
      this.#restarts.set(p.service, this.restarts(p.service) + 1);
      this.#spawn(p.service, p.replica);
    }, verdict.delayMs);
    this.#pending.set(timer, p.service);
  }
}
