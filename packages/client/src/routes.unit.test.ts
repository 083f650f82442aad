import { describe, expect, it } from 'vitest';
import { HeadlessKeyError } from './errors.js';
import { createApi } from './routes.js';

/** An API whose fetch records each request and answers `answer`. */
function recorded(answer: () => Response | Promise<Response> = () => new Response('{}')) {
  const requests: { url: string; method: string; headers: Headers; body: unknown }[] = [];
  const api = createApi({
    url: 'https://auth.test/wp-json/headlesskey/v1/',
    fetch: async (input, init) => {
      requests.push({
        url: String(input),
        method: init?.method ?? 'GET',
        headers: new Headers(init?.headers),
        body: init?.body === undefined ? undefined : JSON.parse(String(init.body)),
      });
      return answer();
    },
  });
  return { api, requests };
}

describe('createApi', () => {
  it('calls each route at its path and method, the token as a bearer', async () => {
    const { api, requests } = recorded();
    await api.token({ username: 'ada', password: 'pw' });
    await api.login({ username: 'ada', password: 'pw' });
    await api.refresh('t1');
    await api.me('t2');
    await api.endSession('t3', 'a/b');
    const base = 'https://auth.test/wp-json/headlesskey/v1';
    expect(requests.map((r) => `${r.method} ${r.url}`)).toEqual([
      `POST ${base}/token`,
      `POST ${base}/login`,
      `POST ${base}/token/refresh`,
      `GET ${base}/me`,
      `DELETE ${base}/sessions/a%2Fb`,
    ]);
    expect(requests[0]!.body).toEqual({ username: 'ada', password: 'pw' });
    expect(requests[2]!.headers.get('authorization')).toBe('Bearer t1');
    expect(requests[3]!.body).toBeUndefined();
  });

  it('sends an SSO exchange with a timestamp in the headers form', async () => {
    const { api, requests } = recorded();
    await api.ssoExchange({ site_key: 'alpha', token: 'remote', signature: 'ab' });
    await api.ssoExchange({ site_key: 'alpha', token: 'remote', signature: 'cd', timestamp: '1700000000' });
    expect(requests[0]!.body).toEqual({ site_key: 'alpha', token: 'remote', signature: 'ab' });
    expect(requests[1]!.body).toEqual({ token: 'remote' });
    expect(Object.fromEntries(requests[1]!.headers)).toMatchObject({
      'x-headlesskey-site': 'alpha',
      'x-headlesskey-timestamp': '1700000000',
      'x-headlesskey-signature': 'cd',
    });
  });

  it('throws the server’s error as it came: code, status, data', async () => {
    const body = { code: 'headlesskey_account_locked', message: 'Too many.', data: { status: 429, retry_after: 900 } };
    const { api } = recorded(() => new Response(JSON.stringify(body), { status: 429 }));
    const err = await api.token({ username: 'ada', password: 'x' }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(HeadlessKeyError);
    expect(err).toMatchObject({ code: 'headlesskey_account_locked', status: 429, message: 'Too many.', data: body.data });
  });

  it('status 0 when no answer came, and unavailable for an answer that is no error body', async () => {
    const offline = recorded(() => Promise.reject(new TypeError('fetch failed')));
    await expect(offline.api.me('t')).rejects.toMatchObject({ code: 'headlesskey_unavailable', status: 0 });
    const proxy = recorded(() => new Response('<html>bad gateway</html>', { status: 502 }));
    await expect(proxy.api.me('t')).rejects.toMatchObject({ code: 'headlesskey_unavailable', status: 502 });
  });
});
