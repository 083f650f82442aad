import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from '@headlesskey/local';
import { jetstreamManager } from '@nats-io/jetstream';
import { connect } from '@nats-io/transport-node';
import { eventually } from './users.js';

export interface NatsCluster {
  /** All three client URLs, comma-separated, as NATS_URL takes them. */
  url: string;
  /** Kills one node (0, 1 or 2) outright. */
  kill(node: number): void;
  stop(): Promise<void>;
}

/** A 3-node JetStream cluster of Debian's `nats-server` on loopback, in a temporary folder. */
export async function startNatsCluster(): Promise<NatsCluster> {
  const dir = await mkdtemp(join(tmpdir(), 'hk-nats-cluster-'));
  const clients = [await freePort(), await freePort(), await freePort()];
  const routes = [await freePort(), await freePort(), await freePort()];
  const nodes: ChildProcess[] = clients.map((port, i) =>
    spawn(
      'nats-server',
      [
        '-a',
        '127.0.0.1',
        '-p',
        String(port),
        '-n',
        `n${i}`,
        '-js',
        '-sd',
        join(dir, `n${i}`),
        '--cluster_name',
        'hk_test',
        '--cluster',
        `nats://127.0.0.1:${routes[i]}`,
        '--routes',
        routes
          .filter((_, j) => j !== i)
          .map((r) => `nats://127.0.0.1:${r}`)
          .join(','),
      ],
      { stdio: 'ignore' },
    ),
  );
  const url = clients.map((p) => `nats://127.0.0.1:${p}`).join(',');
  const stop = async () => {
    for (const node of nodes) node.kill('SIGKILL');
    await Promise.all(nodes.map((n) => (n.exitCode !== null || n.signalCode !== null ? undefined : new Promise((r) => n.once('exit', r)))));
    await rm(dir, { recursive: true, force: true });
  };
  try {
    await eventually(() => jetStreamAnswers(url), 30_000, 'the cluster to elect its JetStream leader');
  } catch (err) {
    await stop();
    throw err;
  }
  return { url, kill: (node) => void nodes[node]?.kill('SIGKILL'), stop };
}

/** JetStream answers once the nodes have met and elected a meta leader. */
async function jetStreamAnswers(url: string): Promise<true | undefined> {
  try {
    const nc = await connect({ servers: url.split(','), timeout: 1000 });
    try {
      await (await jetstreamManager(nc, { timeout: 1000 })).getAccountInfo();
      return true;
    } finally {
      await nc.close();
    }
  } catch {
    return undefined;
  }
}
