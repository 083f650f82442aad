import type { Names } from '@headlesskey/contracts';
import { freePort, type RunningSystem, type StartSystemOptions, startSystem } from '@headlesskey/local';
import { backendUrls, dropInstance, uniqueInstance } from './instance.js';

export interface HttpReply<T = unknown> {
  status: number;
  headers: Record<string, string>;
  /** Parsed when the answer is JSON, else the text. */
  body: T;
}

type Headers = Record<string, string>;

export interface TestSystem extends RunningSystem {
  readonly names: Names;
  /** GET under the REST namespace: `get('/token/validate')`. */
  get<T = unknown>(path: string, headers?: Headers): Promise<HttpReply<T>>;
  /** POST under the REST namespace. An object goes as JSON; a string as it is (set its content-type). */
  post<T = unknown>(path: string, body?: unknown, headers?: Headers): Promise<HttpReply<T>>;
  /** Any method on any path from the gateway's root: `request('GET', '/healthz')`. */
  request<T = unknown>(method: string, path: string, body?: unknown, headers?: Headers): Promise<HttpReply<T>>;
  /** Stops every process, then drops the instance's databases, stream and settings bucket. */
  stop(): Promise<void>;
}

export type TestSystemOptions = Omit<StartSystemOptions, 'instance' | 'natsUrl' | 'databaseUrl'> & {
  /** A PostgreSQL server of the test's own (see `private-postgres.ts`) instead of the shared one. */
  databaseUrl?: string;
};

/**
 * Tests register users and ask for resets by the dozen from one address: the per-IP rate limits
 * are off unless a test turns them on (test/gateway-rate-limit.test.ts).
 */
export const NO_RATE_LIMITS = { HEADLESSKEY_RATE_LIMIT: '0', HEADLESSKEY_SSO_RATE_LIMIT: '0' };

/**
 * The whole system for one test file: its own instance on the shared NATS and PostgreSQL, a free
 * port, cheap password hashing (bcrypt cost 4), no rate limits and no spare processes (dozens of
 * systems run at once), unless `opts.env` says otherwise.
 */
export async function startTestSystem(opts: TestSystemOptions = {}): Promise<TestSystem> {
  const names = uniqueInstance();
  const { natsUrl } = backendUrls();
  const databaseUrl = opts.databaseUrl ?? backendUrls().databaseUrl;
  let system: RunningSystem;
  try {
    system = await startSystem({
      ...opts,
      instance: names.instance,
      port: opts.port ?? (await freePort()),
      natsUrl,
      databaseUrl,
      env: { HEADLESSKEY_BCRYPT_COST: '4', HEADLESSKEY_SPARES: '0', ...NO_RATE_LIMITS, ...opts.env },
    });
  } catch (err) {
    // Services that got far enough may have created databases and a stream.
    await dropInstance(names, databaseUrl);
    throw err;
  }
  let stopping: Promise<void> | undefined;
  return {
    url: system.url,
    apiUrl: system.apiUrl,
    instance: system.instance,
    get processes() {
      return system.processes;
    },
    gaveUp: system.gaveUp,
    restarts: system.restarts,
    kill: system.kill,
    restart: system.restart,
    sparesLoaded: system.sparesLoaded,
    names,
    get: (path, headers) => send('GET', `${system.apiUrl}${path}`, undefined, headers),
    post: (path, body, headers) => send('POST', `${system.apiUrl}${path}`, body, headers),
    request: (method, path, body, headers) => send(method, `${system.url}${path}`, body, headers),
    stop: () => {
      stopping ??= system.stop().then(() => dropInstance(names, databaseUrl));
      return stopping;
    },
  };
}

async function send<T>(method: string, url: string, body: unknown, headers: Headers = {}): Promise<HttpReply<T>> {
  const json = body !== undefined && typeof body !== 'string';
  const res = await fetch(url, {
    method,
    headers: json ? { 'content-type': 'application/json', ...headers } : headers,
    body: json ? JSON.stringify(body) : (body as string | undefined),
  });
  const text = await res.text();
  const isJson = text !== '' && (res.headers.get('content-type') ?? '').includes('json');
  return { status: res.status, headers: Object.fromEntries(res.headers), body: (isJson ? JSON.parse(text) : text) as T };
}
