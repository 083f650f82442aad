import { describe, expect, it, vi } from 'vitest';
import { authorized, fetchWithSession } from './fetch.js';
import { fakeApi, keeperFor, refused, reply } from './testing.unit.js';

async function signedIn(api = fakeApi()) {
  const keeper = keeperFor(api);
  await keeper.signIn(reply());
  return { api, keeper };
}

const problem = (code: string) => new Response(JSON.stringify({ code, message: code, data: { status: 401 } }), { status: 401 });

describe('authFetch', () => {
  it('sends the bearer, keeping the caller’s own headers', async () => {
    const { keeper } = await signedIn();
    const seen: Headers[] = [];
    const authFetch = fetchWithSession(keeper, async (_input, init) => {
      seen.push(new Headers(init?.headers));
      return new Response('{}');
    });
    await authFetch('https://app.test/orders', { headers: { 'x-trace': '1' } });
    expect(seen[0]!.get('authorization')).toBe(`Bearer ${keeper.current()!.token}`);
    expect(seen[0]!.get('x-trace')).toBe('1');
  });

  it('on token_expired refreshes once and sends once more, with the new token', async () => {
    const { keeper, api } = await signedIn();
    const first = keeper.current()!.token;
    const sent: string[] = [];
    const authFetch = fetchWithSession(keeper, async (_input, init) => {
      const auth = new Headers(init?.headers).get('authorization')!;
      sent.push(auth);
      return auth === `Bearer ${first}` ? problem('headlesskey_token_expired') : new Response('ok');
    });
    const res = await authFetch('https://app.test/orders', { method: 'POST', body: 'x' });
    expect(await res.text()).toBe('ok');
    expect(api.refresh).toHaveBeenCalledTimes(1);
    expect(sent).toEqual([`Bearer ${first}`, `Bearer ${keeper.current()!.token}`]);
  });

  it('never loops: a second 401 is handed back as it came', async () => {
    const { keeper, api } = await signedIn();
    const get = vi.fn(async () => problem('headlesskey_token_expired'));
    const res = await fetchWithSession(keeper, get)('https://app.test/orders');
    expect(res.status).toBe(401);
    expect(get).toHaveBeenCalledTimes(2);
    expect(api.refresh).toHaveBeenCalledTimes(1);
  });

  it('leaves any other 401, and a body that is not JSON, alone', async () => {
    const { keeper, api } = await signedIn();
    const get = vi.fn(async () => new Response('no', { status: 401 }));
    expect((await fetchWithSession(keeper, get)('https://app.test/a')).status).toBe(401);
    get.mockImplementation(async () => problem('headlesskey_unauthorized'));
    expect((await fetchWithSession(keeper, get)('https://app.test/a')).status).toBe(401);
    expect(get).toHaveBeenCalledTimes(2);
    expect(api.refresh).not.toHaveBeenCalled();
  });

  it('a revoked token ends the session', async () => {
    const { keeper } = await signedIn();
    const events: string[] = [];
    keeper.onChange((event) => events.push(event));
    const res = await fetchWithSession(keeper, async () => problem('headlesskey_token_revoked'))('https://app.test/a');
    expect(res.status).toBe(401);
    expect(events).toEqual(['session_ended']);
    expect(keeper.current()).toBeNull();
  });

  it('sends a Request with a body twice', async () => {
    const { keeper } = await signedIn();
    const first = keeper.current()!.token;
    const bodies: string[] = [];
    const authFetch = fetchWithSession(keeper, async (input, init) => {
      const request = new Request(input as Request, init);
      bodies.push(await request.text());
      return request.headers.get('authorization') === `Bearer ${first}` ? problem('headlesskey_token_expired') : new Response('ok');
    });
    const res = await authFetch(new Request('https://app.test/orders', { method: 'POST', body: 'payload' }));
    expect(await res.text()).toBe('ok');
    expect(bodies).toEqual(['payload', 'payload']);
  });
});

describe('typed calls with the session', () => {
  it('refresh once on token_expired and retry; refuse at once when signed out', async () => {
    const { keeper, api } = await signedIn();
    const first = keeper.current()!.token;
    const call = vi.fn(async (token: string) => {
      if (token === first) throw refused('headlesskey_token_expired');
      return 'me';
    });
    expect(await authorized(keeper)(call)).toBe('me');
    expect(api.refresh).toHaveBeenCalledTimes(1);
    await keeper.end('signed_out');
    await expect(authorized(keeper)(call)).rejects.toMatchObject({ code: 'headlesskey_unauthorized', status: 401 });
  });

  it('pass any other failure through unchanged', async () => {
    const { keeper } = await signedIn();
    const err = refused('headlesskey_forbidden', 403);
    await expect(authorized(keeper)(() => Promise.reject(err))).rejects.toBe(err);
  });
});
