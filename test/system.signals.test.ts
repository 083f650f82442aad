import type { ChildProcess } from 'node:child_process';
import { createServer, type Server } from 'node:http';
import { freeMetricsBase, freePort } from '@headlesskey/local';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { backendUrls, dropInstance, uniqueInstance } from './support/instance.js';
import { alive, commandOf, descendants } from './support/process-tree.js';
import { sampleValue, scrape } from './support/prometheus.js';
import { type Started, startSupervisor as start } from './support/supervisor.js';
import { eventually } from './support/users.js';

/** Waits until none of `pids` runs; names the ones left when they do not end. */
async function allGone(pids: number[]): Promise<void> {
  await eventually(async () => (pids.every((pid) => !alive(pid)) ? true : undefined), 20_000, 'every process to end').catch(
    () => undefined,
  );
  expect(pids.filter(alive).map((pid) => `${pid} ${commandOf(pid)}`)).toEqual([]);
}

describe('npm start and its processes', () => {
  const names = uniqueInstance();
  let started: Started | undefined;
  let tree: number[] = [];
  afterEach(() => {
    // Whatever a failed test left behind.
    for (const pid of [started?.child.pid, ...tree]) if (pid && alive(pid)) process.kill(pid, 'SIGKILL');
  });
  afterAll(() => dropInstance(names));

  const running = async (how: 'npm' | 'node', env: Record<string, string> = {}) => {
    const { natsUrl, databaseUrl } = backendUrls();
    const port = String(await freePort());
    started = start(how, {
      NATS_URL: natsUrl,
      DATABASE_URL: databaseUrl,
      HEADLESSKEY_INSTANCE: names.instance,
      HEADLESSKEY_PORT: port,
      ...env,
    });
    expect(await started.running).toBe(true);
    tree = descendants(started.child.pid as number);
    return started;
  };

  it('runs the replicas it is asked for, and stops every process of the tree on SIGTERM to npm', async () => {
    const { child, exited } = await running('npm', { HEADLESSKEY_REPLICAS_TOKENS: '2', HEADLESSKEY_SPARES: '0' });
    const services = tree.map(commandOf).filter((command) => command.includes('/dist/main.js'));
    expect(services.filter((command) => command.includes('services/tokens/')).length).toBe(2);
    // The supervisor and six services at least, whatever npm runs in between.
    expect(services).toHaveLength(7);
    child.kill('SIGTERM');
    await exited;
    await allGone(tree);
  });

  it('stops every process, its spares too, and exits 0 on SIGHUP, as when its terminal closes', async () => {
    const { child, exited } = await running('node');
    // Five services, and a spare of each once they have loaded.
    tree = await eventually(
      async () => {
        const now = descendants(child.pid as number);
        return now.length === 10 ? now : undefined;
      },
      30_000,
      'the spares',
    );
    child.kill('SIGHUP');
    expect(await exited).toEqual([0, null]);
    await allGone(tree);
  });

  it('starts a killed service again and says so, and stops the services when the supervisor is killed outright', async () => {
    const metricsBase = await freeMetricsBase();
    const { child, exited, stderr } = await running('node', { HEADLESSKEY_METRICS_PORT: String(metricsBase), HEADLESSKEY_SPARES: '0' });
    expect(tree).toHaveLength(5);
    const [identity] = tree.filter((pid) => commandOf(pid).includes('services/identity/dist/main.js'));
    process.kill(identity as number, 'SIGKILL');
    await eventually(
      async () =>
        stderr().includes('identity was killed by SIGKILL; starting it again in 100 ms (crash 1 within 60 s)') ? true : undefined,
      10_000,
      'the restart to be logged',
    );
    tree = await eventually(
      async () => {
        const now = descendants(child.pid as number);
        return now.length === 5 && !now.includes(identity as number) ? now : undefined;
      },
      10_000,
      'a new identity process',
    );
    // Its own metrics count the restart.
    const restarts = sampleValue(await scrape(metricsBase), 'headlesskey_supervisor_restarts_total', { service: 'identity' });
    expect(restarts).toBe(1);

    child.kill('SIGKILL');
    await exited;
    await allGone(tree);
  });
});

describe('npm start refusing to start', () => {
  let squatter: Server | undefined;
  const supervisors: ChildProcess[] = [];
  afterAll(() => {
    squatter?.close();
    // One that started after all would leave its services behind.
    for (const child of supervisors) if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
  });

  /** Runs the supervisor to its end; its exit code and what it wrote to stderr. */
  const refused = async (env: Record<string, string>) => {
    const { natsUrl, databaseUrl } = backendUrls();
    const { child, exited, running, stderr } = start('node', {
      NATS_URL: natsUrl,
      DATABASE_URL: databaseUrl,
      HEADLESSKEY_INSTANCE: uniqueInstance().instance,
      HEADLESSKEY_PORT: String(await freePort()),
      ...env,
    });
    supervisors.push(child);
    const [code] = await exited;
    expect(await running).toBe(false);
    return { code, lines: stderr().trim().split('\n') };
  };

  it('says in one line that the port is taken, even by something that answers /readyz', async () => {
    const port = await freePort();
    squatter = createServer((_req, res) => res.end('{"status":"ready"}'));
    await new Promise<void>((resolve) => squatter?.listen(port, '127.0.0.1', resolve));
    const { code, lines } = await refused({ HEADLESSKEY_PORT: String(port) });
    expect(code).toBe(1);
    expect(lines).toEqual([
      `port ${port} on 127.0.0.1 is already in use (is HeadlessKey running?); stop that process or set HEADLESSKEY_PORT`,
    ]);
  });

  it('says in one line that nothing answers at NATS_URL', async () => {
    const port = await freePort();
    const { code, lines } = await refused({ NATS_URL: `nats://127.0.0.1:${port}` });
    expect(code).toBe(1);
    expect(lines).toEqual([`NATS_URL: nothing answers at 127.0.0.1:${port}; start NATS with JetStream there or point NATS_URL at one`]);
  });

  it('says in one line that nothing answers at DATABASE_URL, and not its password', async () => {
    const port = await freePort();
    const { code, lines } = await refused({ DATABASE_URL: `postgres://postgres:hunter2@127.0.0.1:${port}/postgres` });
    expect(code).toBe(1);
    expect(lines).toEqual([`DATABASE_URL: nothing answers at 127.0.0.1:${port}; start PostgreSQL there or point DATABASE_URL at one`]);
  });
});
