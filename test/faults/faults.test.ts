import os from 'node:os';
import { fileURLToPath } from 'node:url';
import type { Names } from '@headlesskey/contracts';
import { freePort, type RunningSystem, type ServiceName, startSystem } from '@headlesskey/local';
import { jetstreamManager } from '@nats-io/jetstream';
import { connect } from '@nats-io/transport-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN, ADMIN_ENV } from '../support/admin-api.js';
import { uniqueInstance } from '../support/instance.js';
import { type NatsCluster, startNatsCluster } from '../support/nats-cluster.js';
import { type PrivateNats, startPrivateNats } from '../support/private-nats.js';
import { type PrivatePostgres, startPrivatePostgres } from '../support/private-postgres.js';
import { alive, commandOf, descendants } from '../support/process-tree.js';
import { pids, replaced } from '../support/replicas.js';
import { type Started, startSupervisor } from '../support/supervisor.js';
import { NO_RATE_LIMITS } from '../support/system.js';
import { eventually } from '../support/users.js';
import { type Receiver, startReceiver } from '../support/webhook-receiver.js';
import { checkWrites } from './checks.js';
import { post, type Target } from './client.js';
import { checkEvents } from './events.js';
import { Ledger } from './ledger.js';
import { mixedLoad } from './load.js';
import { type Fault, figures, notReplayed, phaseAt } from './measure.js';
import { exitsDuring, type Injected, underLoad } from './phase.js';
import { type ScenarioReport, writeResilience } from './report.js';
import { type Backing, projectionTimes, query, storedEvents } from './stores.js';

const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url));
/** The longest wait for a quiet machine before the faults begin (see `quietMachine`). */
const SETTLE_MS = 45_000;
const CLIENTS = 20;
const WEBHOOK_TIMEOUT_MS = 2000;
/** The system as `npm start` runs it, with cheap hashing, no rate limits, an administrator and deliveries to loopback. */
const SYSTEM_ENV: Record<string, string> = {
  HEADLESSKEY_BCRYPT_COST: '4',
  ...NO_RATE_LIMITS,
  ...ADMIN_ENV,
  HEADLESSKEY_OUTBOUND_ALLOW_PRIVATE: 'true',
  HEADLESSKEY_WEBHOOK_POLL_MS: '100',
  HEADLESSKEY_WEBHOOK_TIMEOUT_MS: String(WEBHOOK_TIMEOUT_MS),
  // Fixed, so tokens issued before the supervisor stopped stay valid on the system started after it, on another port.
  HEADLESSKEY_ISSUER: 'https://faults.example.test',
  LOG_LEVEL: 'warn',
};
const REPLICAS: Partial<Record<ServiceName, number>> = { identity: 2, tokens: 2 };
const BACK_AFTER_KILL_MS = 3000;

/** An administrator's POST, for the webhook endpoint. */
async function asAdmin(target: Target, path: string, body: unknown): Promise<Record<string, unknown>> {
  const login = await post(target, '/token', { username: ADMIN.username, password: ADMIN.password });
  const res = await fetch(`${target.apiUrl}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${login.body.token as string}` },
    body: JSON.stringify(body),
  });
  if (res.status !== 201) throw new Error(`${path} answered ${res.status}: ${await res.text()}`);
  return (await res.json()) as Record<string, unknown>;
}

/** A receiver subscribed to every event, and the database time from which every event must reach it. */
async function subscribe(target: Target, backing: Backing, receiver: Receiver): Promise<Date> {
  await asAdmin(target, '/webhooks', { url: receiver.url, events: ['*'] });
  const [row] = await query<{ now: Date }>(backing, 'webhooks', 'select now()');
  return (row as { now: Date }).now;
}

/** Runs the checks of one scenario and gives its report. */
async function scenarioReport(
  name: string,
  setup: string,
  ledger: Ledger,
  faults: Fault[],
  target: Target,
  backing: Backing,
  receiver: Receiver,
  since: Date,
  problems: string[],
): Promise<ScenarioReport> {
  const webhooksKilled = faults.filter((f) => f.name.includes('kill -9 of webhooks')).map((f) => f.fromAt);
  const verdicts = await checkWrites(ledger, target, backing);
  const refused = ledger.operations.filter((o) => o.outcome === 'refused');
  for (const o of refused.slice(0, 10)) problems.push(`unexpected answer: ${o.op} (${o.phase}) answered ${o.status} ${o.code ?? ''}`);
  const findings = notReplayed(ledger, verdicts);
  const events = await checkEvents(backing, receiver, {
    since,
    phaseAt: (at) => phaseAt(faults, at),
    // Sent at most one attempt's timeout before the kill; read by the receiver at most a moment after it.
    inFlightAtKill: (at) => webhooksKilled.some((killedAt) => at >= killedAt - WEBHOOK_TIMEOUT_MS && at <= killedAt + 1000),
  });
  return {
    name,
    setup,
    phases: faults.map((fault) => figures(ledger, fault, verdicts)),
    requests: ledger.attempts.length,
    events,
    findings,
    problems: [...problems, ...verdicts.problems, ...events.problems],
  };
}

describe('faults under load', () => {
  const startedAt = Date.now();
  let loadBefore = os.loadavg();
  const reports: ScenarioReport[] = [];
  let pg: PrivatePostgres;
  let nats: PrivateNats;
  let cluster: NatsCluster | undefined;
  let receiver: Receiver;
  let clusterReceiver: Receiver | undefined;
  let supervisor: Started | undefined;
  let supervised: number[] = [];
  let system: RunningSystem | undefined;
  let clusterSystem: RunningSystem | undefined;

  beforeAll(async () => {
    await quietMachine();
    loadBefore = os.loadavg();
    [pg, nats, receiver] = await Promise.all([startPrivatePostgres(), startPrivateNats(), startReceiver()]);
  }, SETTLE_MS + 120_000);

  afterAll(async () => {
    if (supervisor && alive(supervisor.child.pid as number)) supervisor.child.kill('SIGKILL');
    for (const pid of supervised) if (alive(pid)) process.kill(pid, 'SIGKILL');
    await Promise.allSettled([system?.stop(), clusterSystem?.stop()]);
    await Promise.allSettled([cluster?.stop(), nats?.stop(), pg?.stop(), receiver?.close(), clusterReceiver?.close()]);
    // Only a whole run says anything about the system: a broken one leaves the last report alone.
    if (reports.length === 2) {
      const info = { date: new Date(startedAt), seconds: Math.round((Date.now() - startedAt) / 1000), loadBefore, loadAfter: os.loadavg() };
      writeResilience(`${REPO_ROOT}RESILIENCE.md`, { ...info, repoRoot: REPO_ROOT, clients: CLIENTS }, reports);
    }
  });

  describe('on a single NATS server and PostgreSQL of the run', () => {
    const names = uniqueInstance('flt');
    const ledger = new Ledger();
    const target: Target = { apiUrl: '' };
    const load = mixedLoad({ clients: CLIENTS, target, ledger });
    const faults: Fault[] = [];
    const problems: string[] = [];
    let backing: Backing;
    let since: Date;

    it('stops every process of npm start on SIGTERM to its supervisor, under load', async () => {
      backing = { names, databaseUrl: pg.url, natsUrl: nats.url };
      const port = await freePort();
      supervisor = startSupervisor('node', {
        ...SYSTEM_ENV,
        NATS_URL: nats.url,
        DATABASE_URL: pg.url,
        HEADLESSKEY_INSTANCE: names.instance,
        HEADLESSKEY_PORT: String(port),
        HEADLESSKEY_REPLICAS_IDENTITY: String(REPLICAS.identity),
        HEADLESSKEY_REPLICAS_TOKENS: String(REPLICAS.tokens),
      });
      expect(await supervisor.running, supervisor.stderr()).toBe(true);
      target.apiUrl = `http://127.0.0.1:${port}/wp-json/headlesskey/v1`;
      since = await subscribe(target, backing, receiver);
      const started = supervisor;
      supervised = descendants(started.child.pid as number);
      let code: number | null = null;
      faults.push(
        await underLoad(
          load,
          ledger,
          'SIGTERM to the supervisor',
          async () => {
            const fromAt = Date.now();
            started.child.kill('SIGTERM');
            [code] = await started.exited;
            const stoppedMs = Date.now() - fromAt;
            await eventually(async () => (supervised.every((pid) => !alive(pid)) ? true : undefined), 20_000, 'every process to end').catch(
              () => undefined,
            );
            const left = supervised.filter(alive).map((pid) => `${pid} ${commandOf(pid)}`);
            if (left.length > 0 || code !== 0)
              problems.push(`SIGTERM to the supervisor: exit ${code}, left running: ${left.join('; ') || 'none'}`);
            return {
              target: 'everything stops (exit 0), nothing orphaned',
              from: 'the signal',
              fromAt,
              measured: `exit ${code} after ${(stoppedMs / 1000).toFixed(2)} s; ${left.length} of ${supervised.length} processes left`,
              met: left.length === 0 && code === 0,
              notes: [],
            };
          },
          false,
        ),
      );
      expect(code).toBe(0);
    });

    it('rides out kill -9 of each service, a PostgreSQL restart and a NATS outage', async () => {
      system = await startSystem({
        instance: names.instance,
        port: await freePort(),
        natsUrl: nats.url,
        databaseUrl: pg.url,
        env: SYSTEM_ENV,
        services: REPLICAS,
        readyTimeoutMs: 90_000,
      });
      const running = system;
      // The faults meet the system as it runs once started, not while it still loads its spares.
      await running.sparesLoaded();
      target.apiUrl = running.apiUrl;
      const phase = async (name: string, inject: () => Promise<Injected>) => faults.push(await underLoad(load, ledger, name, inject));
      const kill = (service: ServiceName, how: 'one' | 'all') => async (): Promise<Injected> => {
        const all = pids(running, service);
        const victims = how === 'one' ? all.slice(0, 1) : all;
        const fromAt = Date.now();
        for (const pid of victims) process.kill(pid, 'SIGKILL');
        await replaced(running, service, victims, all.length, 30_000);
        if (service === 'audit' || service === 'webhooks') return consuming(service, fromAt);
        const spare = all.length > victims.length;
        return spare
          ? { target: '0 failed requests (a second replica runs)', from: 'the kill', fromAt, notes: [] }
          : {
              target: `back ≤ ${BACK_AFTER_KILL_MS / 1000} s after the kill`,
              backWithinMs: BACK_AFTER_KILL_MS,
              from: 'the kill',
              fromAt,
              notes: [],
            };
      };
      /**
       * Audit and webhooks answer no request of the load: they are back once an event recorded after
       * the kill reaches the activity log, or the webhook receiver.
       */
      const consuming = async (service: 'audit' | 'webhooks', fromAt: number): Promise<Injected> => {
        const reached = async () => {
          const fresh = (await storedEvents(backing)).filter((e) => e.recorded_at.getTime() > fromAt).map((e) => e.id);
          // When the first of them arrived, as the log or the receiver recorded it: not when this poll saw it.
          const arrived = service === 'audit' ? await projectionTimes(backing) : receivedTimes(receiver);
          const times = fresh.map((id) => arrived.get(id)).filter((at) => at !== undefined);
          return times.length > 0 ? Math.min(...times) : undefined;
        };
        const backAt = await eventually(reached, 30_000, `${service} consuming again`).catch(() => undefined);
        const what = service === 'audit' ? 'projecting into the activity log' : 'delivering webhooks';
        const backMs = backAt === undefined ? Number.POSITIVE_INFINITY : backAt - fromAt;
        return {
          target: `${what} again ≤ ${BACK_AFTER_KILL_MS / 1000} s after the kill`,
          from: 'the kill',
          fromAt,
          measured: backAt === undefined ? `not ${what} within 30 s` : `${what} again ${(backMs / 1000).toFixed(2)} s after the kill`,
          met: backMs <= BACK_AFTER_KILL_MS,
          notes: [],
        };
      };
      await phase('kill -9 of the gateway', kill('gateway', 'all'));
      await phase('kill -9 of one of two identity replicas', kill('identity', 'one'));
      await phase('kill -9 of one of two tokens replicas', kill('tokens', 'one'));
      await phase('kill -9 of both identity replicas', kill('identity', 'all'));
      await phase('kill -9 of both tokens replicas', kill('tokens', 'all'));
      await phase('kill -9 of audit (one replica)', kill('audit', 'all'));
      await phase('kill -9 of webhooks (one replica)', kill('webhooks', 'all'));

      /** A fault of a backend: no process should exit over it. */
      const backendPhase = async (name: string, inject: () => Promise<Injected>) => {
        const exited = await exitsDuring(running, async () => {
          await phase(name, inject);
        });
        const fault = faults.at(-1) as Fault;
        fault.notes.push(exited.length === 0 ? 'no process exited' : `processes exited: ${exited.join('; ')}`);
        // A target, reported as the timings are: the supervisor starts what exited again.
        if (exited.length > 0) fault.met = false;
      };
      await backendPhase('PostgreSQL restart', async () => {
        await pg.restart();
        return {
          target: 'back ≤ 5 s after the database accepts connections; no process exits',
          backWithinMs: 5000,
          from: 'the database accepting connections',
          fromAt: Date.now(),
          notes: [],
        };
      });
      await backendPhase('NATS outage of 5 s', async () => {
        await nats.halt();
        // The outage itself: NATS stays away this long.
        await new Promise((r) => setTimeout(r, 5000));
        await nats.start();
        return {
          target: 'back ≤ 2 s after NATS is',
          backWithinMs: 2000,
          from: 'NATS accepting connections',
          fromAt: Date.now(),
          notes: [],
        };
      });

      reports.push(
        await scenarioReport(
          'One NATS server, one PostgreSQL',
          `\`npm start\`'s supervisor (\`infra/local\`), then \`startSystem\` on the same instance: identity ×${REPLICAS.identity}, tokens ×${REPLICAS.tokens}, audit, webhooks and the gateway ×1, on a PostgreSQL and a \`nats-server\` of the run's own.`,
          ledger,
          faults,
          target,
          backing,
          receiver,
          since,
          problems,
        ),
      );
      await running.stop();
      system = undefined;
    });
  });

  describe('on a 3-node NATS cluster', () => {
    const names = uniqueInstance('flc');
    const ledger = new Ledger();
    const target: Target = { apiUrl: '' };
    const load = mixedLoad({ clients: CLIENTS, target, ledger });

    it('rides out the loss of the stream leader node', async () => {
      cluster = await startNatsCluster();
      clusterReceiver = await startReceiver();
      const backing: Backing = { names, databaseUrl: pg.url, natsUrl: cluster.url };
      clusterSystem = await startSystem({
        instance: names.instance,
        port: await freePort(),
        natsUrl: cluster.url,
        databaseUrl: pg.url,
        env: { ...SYSTEM_ENV, HEADLESSKEY_STREAM_REPLICAS: '3' },
        readyTimeoutMs: 90_000,
      });
      await clusterSystem.sparesLoaded();
      target.apiUrl = clusterSystem.apiUrl;
      const since = await subscribe(target, backing, clusterReceiver);
      const nodes = cluster;
      const fault = await underLoad(load, ledger, 'loss of the NATS node leading the stream', async () => {
        const leader = await streamLeader(nodes.url, names);
        nodes.kill(leader);
        return {
          target: 'back ≤ 2 s after the loss, as after a NATS outage',
          backWithinMs: 2000,
          from: 'the loss',
          fromAt: Date.now(),
          notes: [`node n${leader} (the stream's leader) killed with SIGKILL; stream and settings bucket on 3 replicas`],
        };
      });
      reports.push(
        await scenarioReport(
          'A 3-node NATS cluster',
          `\`startSystem\` with \`HEADLESSKEY_STREAM_REPLICAS=3\` on a 3-node cluster of \`nats-server\` and the run's PostgreSQL, one replica of each service.`,
          ledger,
          [fault],
          target,
          backing,
          clusterReceiver,
          since,
          [],
        ),
      );
    });
  });

  it('lost no write, made no phantom one, streamed, logged and delivered every event once, and validates no revoked token', () => {
    expect(reports.map((r) => r.name)).toHaveLength(2);
    expect(reports.flatMap((r) => r.problems)).toEqual([]);
  });
});

/** When the receiver first accepted each webhook id. */
function receivedTimes(receiver: Receiver): Map<string, number> {
  const times = new Map<string, number>();
  for (const r of receiver.received) {
    if (r.status !== undefined && r.status >= 200 && r.status < 300 && !times.has(r.id)) times.set(r.id, r.at);
  }
  return times;
}

/**
 * Times mean something only on a machine no longer busy with what ran before (in CI, the rest of
 * the tests): waits, up to `SETTLE_MS`, for the 1-minute load average to fall to the core count.
 */
async function quietMachine(): Promise<void> {
  const deadline = Date.now() + SETTLE_MS;
  while (os.loadavg()[0] > os.cpus().length && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 2000));
}

/** The cluster node (0, 1 or 2) that leads the event stream. */
async function streamLeader(url: string, names: Names): Promise<number> {
  const nc = await connect({ servers: url.split(',') });
  try {
    const info = await (await jetstreamManager(nc)).streams.info(names.eventStream);
    return Number(info.cluster?.leader?.replace(/^n/, '') ?? 0);
  } finally {
    await nc.close();
  }
}
