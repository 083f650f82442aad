import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { freePort } from '@headlesskey/local';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { backendUrls, dropInstance, uniqueInstance } from './support/instance.js';
import { startTestSystem, type TestSystem } from './support/system.js';

const SERVICES = ['audit', 'gateway', 'identity', 'tokens', 'webhooks'];
const MAIN = fileURLToPath(new URL('../infra/local/dist/main.js', import.meta.url));

describe('the whole system, one process per service', () => {
  let system: TestSystem;
  beforeAll(async () => {
    system = await startTestSystem();
  });
  afterAll(() => system?.stop());

  it('is alive and ready', async () => {
    expect((await system.request('GET', '/healthz')).status).toBe(200);
    expect((await system.request('GET', '/readyz')).status).toBe(200);
  });

  it('exits 0 in every process on SIGTERM', async () => {
    await system.stop();
    const exits = system.processes.map((p) => ({ service: p.service, exit: p.exit }));
    expect(exits.map((e) => e.service).sort()).toEqual(SERVICES);
    expect(exits).toEqual(exits.map(({ service }) => ({ service, exit: { code: 0, signal: null } })));
  });
});

describe('npm start', () => {
  const names = uniqueInstance();
  let main: ChildProcess | undefined;
  afterAll(async () => {
    // SIGTERM even on failure: a SIGKILLed supervisor would leave its services running.
    if (main && main.exitCode === null && main.signalCode === null) {
      main.kill('SIGTERM');
      await once(main, 'exit');
    }
    await dropInstance(names);
  });

  it('prints the API URL, serves it, and exits 0 on SIGTERM', async () => {
    const port = await freePort();
    const { natsUrl, databaseUrl } = backendUrls();
    const child = spawn(process.execPath, [MAIN], {
      env: {
        ...process.env,
        NATS_URL: natsUrl,
        DATABASE_URL: databaseUrl,
        HEADLESSKEY_INSTANCE: names.instance,
        HEADLESSKEY_PORT: String(port),
        HEADLESSKEY_BCRYPT_COST: '4',
      },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    main = child;
    const exited = once(child, 'exit');
    const expected = `HeadlessKey is running at http://127.0.0.1:${port}/wp-json/headlesskey/v1`;
    // Reads on after the match: the services share this pipe and would block on a full one.
    const printed = new Promise<boolean>((resolve) => {
      const lines = createInterface({ input: child.stdout });
      lines.on('line', (line) => line === expected && resolve(true));
      lines.on('close', () => resolve(false));
    });
    expect(await printed).toBe(true);
    expect((await fetch(`http://127.0.0.1:${port}/readyz`)).status).toBe(200);
    child.kill('SIGTERM');
    expect(await exited).toEqual([0, null]);
  });
});
