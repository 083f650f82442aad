import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import { freePort } from '@headlesskey/local';
import { backendUrls } from './instance.js';
import { type HttpReply, NO_RATE_LIMITS, type TestSystem } from './system.js';
import { eventually } from './users.js';

const GATEWAY = fileURLToPath(new URL('../../services/gateway/dist/main.js', import.meta.url));

export interface ExtraGateway extends Pick<TestSystem, 'get' | 'post' | 'request'> {
  /** REST base of this gateway: `http://127.0.0.1:<port>/wp-json/headlesskey/v1`. */
  apiUrl: string;
  stop(): Promise<void>;
}

/**
 * Another gateway process for a running instance, on a port of its own: what a load balancer
 * puts in front of the same services. Ready once its `/readyz` answers 200.
 */
export async function startExtraGateway(instance: string, env: Record<string, string> = {}): Promise<ExtraGateway> {
  const port = await freePort();
  const { natsUrl, databaseUrl } = backendUrls();
  const child: ChildProcess = spawn(process.execPath, [GATEWAY], {
    env: {
      ...process.env,
      ...NO_RATE_LIMITS,
      ...env,
      HEADLESSKEY_INSTANCE: instance,
      HEADLESSKEY_PORT: String(port),
      NATS_URL: natsUrl,
      DATABASE_URL: databaseUrl,
    },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  // Kept for the error message of a gateway that will not start; read on so the pipe never fills.
  let stderr = '';
  child.stderr?.setEncoding('utf8').on('data', (chunk: string) => {
    stderr = (stderr + chunk).slice(-4000);
  });
  const exited = once(child, 'exit');
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGTERM');
      await exited;
    }
  };
  const url = `http://127.0.0.1:${port}`;
  try {
    await eventually(
      async () => {
        if (child.exitCode !== null) throw new Error(`extra gateway exited with code ${child.exitCode}: ${stderr}`);
        const res = await fetch(`${url}/readyz`).catch(() => undefined);
        return res?.status === 200 ? true : undefined;
      },
      30_000,
      'the extra gateway to be ready',
    );
  } catch (err) {
    await stop();
    throw err;
  }
  const apiUrl = `${url}/wp-json/headlesskey/v1`;
  return {
    apiUrl,
    get: (path, headers) => send('GET', `${apiUrl}${path}`, undefined, headers),
    post: (path, body, headers) => send('POST', `${apiUrl}${path}`, body, headers),
    request: (method, path, body, headers) => send(method, `${url}${path}`, body, headers),
    stop,
  };
}

async function send<T>(method: string, url: string, body: unknown, headers: Record<string, string> = {}): Promise<HttpReply<T>> {
  const res = await fetch(url, {
    method,
    headers: body === undefined ? headers : { 'content-type': 'application/json', ...headers },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  const isJson = text !== '' && (res.headers.get('content-type') ?? '').includes('json');
  return { status: res.status, headers: Object.fromEntries(res.headers), body: (isJson ? JSON.parse(text) : text) as T };
}
