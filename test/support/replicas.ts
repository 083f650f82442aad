import type { RunningSystem, ServiceName } from '@headlesskey/local';
import { eventually } from './users.js';

/** Pids of the running replicas of a service, as the supervisor knows them. */
export const pids = (system: RunningSystem, service: ServiceName) =>
  system.processes.filter((p) => p.service === service && p.exit === undefined).map((p) => p.child.pid as number);

/** Waits until the service runs `count` replicas again, none of them one of `gone`. */
export const replaced = (system: RunningSystem, service: ServiceName, gone: number[], count = 1, timeoutMs = 10_000) =>
  eventually(
    async () => {
      const now = pids(system, service);
      return now.length === count && now.every((pid) => !gone.includes(pid)) ? now : undefined;
    },
    timeoutMs,
    `a new ${service} process`,
  );
