import type { RunningSystem, ServiceName } from '@headlesskey/local';
import { eventually } from './users.js';

/** Pids of the running replicas of a service, as the supervisor knows them. */
export const pids = (system: RunningSystem, service: ServiceName) =>
  system.processes.filter((p) => p.service === service && p.exit === undefined).map((p) => p.child.pid as number);

/**
 * Waits until the service runs `count` replicas again, none of them one of `gone`; with `ready`,
 * until each new one has also said it is ready (its command server subscribed), as a replica only
 * started may not answer yet.
 */
export const replaced = (
  system: RunningSystem,
  service: ServiceName,
  gone: number[],
  count = 1,
  timeoutMs = 10_000,
  opts: { ready?: boolean } = {},
) => {
  // Spawned after the first of the gone ones: a replacement, however soon after the kill it came.
  const firstGone = Math.min(...gone.map((pid) => system.processes.findIndex((p) => p.child.pid === pid)));
  const isFresh = (pid: number) => system.processes.findIndex((p) => p.child.pid === pid) > firstGone;
  const ready = (pid: number) =>
    system.processes
      .find((p) => p.child.pid === pid)
      ?.output()
      .includes(`"msg":"${service} ready"`);
  return eventually(
    async () => {
      const now = pids(system, service);
      const fresh = now.filter(isFresh);
      return now.length === count && now.every((pid) => !gone.includes(pid)) && (!opts.ready || fresh.every(ready)) ? now : undefined;
    },
    timeoutMs,
    `a new ${service} process${opts.ready ? ', ready' : ''}`,
  );
};
