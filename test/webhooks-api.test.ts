import { Webhook } from 'standardwebhooks';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN_ENV, adminToken, call, type Delivery, deliveriesOf, type WpError } from './support/admin-api.js';
import { startTestSystem, type TestSystem } from './support/system.js';
import { eventually, newUser, registerAndLogin } from './support/users.js';
import { type Receiver, startReceiver } from './support/webhook-receiver.js';

interface View {
  id: string;
  url: string;
  events: string[];
  description: string;
  enabled: boolean;
  disabled_reason: string | null;
  created_at: string;
  updated_at: string;
  secret?: string;
}
type Reply = View & WpError & { webhooks: View[] };

/** The admin API of webhook endpoints: who may use it, what it keeps, what it never shows again. */
describe('webhook endpoints API', () => {
  let system: TestSystem;
  let admin: string;
  let receiver: Receiver;
  /** `token` null: no Authorization header at all. */
  const api = <T = Reply>(method: string, path: string, body?: unknown, token: string | null = admin) =>
    call<T>(system, token ?? undefined, method, path, body);

  beforeAll(async () => {
    system = await startTestSystem({
      env: { ...ADMIN_ENV, HEADLESSKEY_WEBHOOK_ALLOW_PRIVATE: 'true', HEADLESSKEY_WEBHOOK_POLL_MS: '100' },
    });
    admin = await adminToken(system);
    receiver = await startReceiver();
  });
  afterAll(async () => {
    await receiver?.close();
    await system?.stop();
  });

  it('creates an endpoint and shows its whsec_ secret once', async () => {
    const created = await api('POST', '/webhooks', { url: `${receiver.url}/in`, description: 'alerts', events: ['auth.login.failed'] });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({
      url: `${receiver.url}/in`,
      events: ['auth.login.failed'],
      description: 'alerts',
      enabled: true,
      disabled_reason: null,
    });
    expect(created.body.secret).toMatch(/^whsec_[A-Za-z0-9+/]{43}=$/);
    const { id, secret } = created.body;
    const got = await api('GET', `/webhooks/${id}`);
    expect(got.status).toBe(200);
    expect(got.body).toEqual({ ...created.body, secret: undefined });
    const listed = await api('GET', '/webhooks');
    expect(listed.body.webhooks.find((w) => w.id === id)).toEqual(got.body);
    expect(JSON.stringify(listed.body)).not.toContain(secret!);
    expect(JSON.stringify(listed.body)).not.toContain('whsec_');
  });

  it('subscribes to every event type unless told otherwise', async () => {
    const created = await api('POST', '/webhooks', { url: `${receiver.url}/all` });
    expect(created.body.events).toEqual(['*']);
    expect((await api('POST', '/webhooks', { url: `${receiver.url}/star`, events: ['*', 'token.issued'] })).body.events).toEqual(['*']);
  });

  it('changes the URL, the event types and the switch, and deletes', async () => {
    const { id } = (await api('POST', '/webhooks', { url: `${receiver.url}/a` })).body;
    const patched = await api('PATCH', `/webhooks/${id}`, {
      url: `${receiver.url}/b`,
      events: ['token.revoked', 'token.issued'],
      enabled: false,
    });
    expect(patched).toMatchObject({
      status: 200,
      body: { url: `${receiver.url}/b`, events: ['token.issued', 'token.revoked'], enabled: false },
    });
    expect(Date.parse(patched.body.updated_at)).toBeGreaterThanOrEqual(Date.parse(patched.body.created_at));
    expect((await api('PATCH', `/webhooks/${id}`, { description: 'kept' })).body).toMatchObject({ description: 'kept', enabled: false });
    expect(await api('DELETE', `/webhooks/${id}`)).toMatchObject({ status: 200, body: { id, deleted: true } });
    expect(await api('GET', `/webhooks/${id}`)).toMatchObject({ status: 404, body: { code: 'headlesskey_not_found' } });
    expect(await api('DELETE', `/webhooks/${id}`)).toMatchObject({ status: 404 });
    expect(await api('GET', `/webhooks/${id}/deliveries`)).toMatchObject({ status: 404 });
  });

  it('answers administrators only, on every route', async () => {
    const { id } = (await api('POST', '/webhooks', { url: `${receiver.url}/x` })).body;
    const user = await registerAndLogin(system);
    const routes: [string, string, unknown?][] = [
      ['GET', '/webhooks'],
      ['POST', '/webhooks', { url: `${receiver.url}/y` }],
      ['GET', `/webhooks/${id}`],
      ['PATCH', `/webhooks/${id}`, { enabled: false }],
      ['DELETE', `/webhooks/${id}`],
      ['POST', `/webhooks/${id}/rotate-secret`],
      ['POST', `/webhooks/${id}/test`],
      ['GET', `/webhooks/${id}/deliveries`],
      ['POST', `/webhooks/${id}/deliveries/${id}/redeliver`],
    ];
    for (const [method, path, body] of routes) {
      expect(await api(method, path, body, null), `${method} ${path}`).toMatchObject({
        status: 401,
        body: { code: 'headlesskey_unauthorized' },
      });
      expect(await api(method, path, body, user.token), `${method} ${path}`).toMatchObject({
        status: 403,
        body: { code: 'headlesskey_forbidden' },
      });
    }
    expect((await api('GET', `/webhooks/${id}`)).body.enabled).toBe(true);
  });

  it('refuses bad input by name', async () => {
    expect(await api('POST', '/webhooks', {})).toMatchObject({
      status: 400,
      body: { code: 'rest_missing_callback_param', data: { params: ['url'] } },
    });
    const cases: [unknown, string][] = [
      [{ url: `${receiver.url}/z`, events: ['auth.login.nope'] }, 'events'],
      [{ url: `${receiver.url}/z`, events: [] }, 'events'],
      [{ url: `${receiver.url}/z`, enabled: 'yes' }, 'enabled'],
      [{ url: ['http://example.com'] }, 'url'],
      [{ url: 'ftp://example.com/hook' }, 'url'],
      [{ url: 'http://user:secret@127.0.0.1/hook' }, 'url'],
      [{ url: 'not a url' }, 'url'],
    ];
    for (const [body, param] of cases) {
      const reply = await api('POST', '/webhooks', body);
      expect(reply.status, JSON.stringify(body)).toBe(400);
      expect(reply.body.code).toBe('rest_invalid_param');
      expect(Object.keys(reply.body.data.params as Record<string, string>)).toEqual([param]);
    }
    expect(await api('GET', '/webhooks/not-a-uuid')).toMatchObject({ status: 400, body: { code: 'rest_invalid_param' } });
    expect(await api('GET', '/webhooks/00000000-0000-4000-8000-000000000000')).toMatchObject({ status: 404 });
  });

  it('sends a signed test event to one endpoint only, and logs it as one of its deliveries', async () => {
    const target = await api('POST', '/webhooks', { url: `${receiver.url}/test-event`, events: ['user.deleted'] });
    const other = await api('POST', '/webhooks', { url: `${receiver.url}/test-other`, events: ['user.deleted'] });
    const { id, secret } = target.body;
    const sent = await api<Delivery>('POST', `/webhooks/${id}/test`);
    expect(sent.status).toBe(202);
    expect(sent.body).toMatchObject({ endpoint_id: id, event_type: 'webhook.test', status: 'pending', attempts: 0 });
    expect(sent.body.message_id).toBe(sent.body.event_id);
    // Sent although the endpoint wants only `user.deleted`; signed by its secret under the logged `webhook-id`.
    const got = await eventually(async () => receiver.received.find((r) => r.path === '/test-event'), 15_000, 'the test event');
    expect(got.id).toBe(sent.body.message_id);
    expect(new Webhook(secret!).verify(got.body, got.headers)).toEqual({
      type: 'webhook.test',
      timestamp: expect.any(String),
      data: { endpoint_id: id },
    });
    const logged = await eventually(
      async () => {
        const [delivery] = await deliveriesOf(system, admin, id);
        return delivery?.status === 'delivered' ? delivery : undefined;
      },
      15_000,
      'the test delivery delivered',
    );
    expect(logged).toMatchObject({ id: sent.body.id, event_type: 'webhook.test', attempts: 1, last_status_code: 204 });
    // Another endpoint of the same event types got nothing: the test went where it was sent.
    expect(await deliveriesOf(system, admin, other.body.id)).toEqual([]);
    expect(receiver.received.filter((r) => r.path === '/test-other')).toEqual([]);
    expect(await api('POST', '/webhooks/00000000-0000-4000-8000-000000000000/test')).toMatchObject({
      status: 404,
      body: { code: 'headlesskey_not_found' },
    });
  });

  it('rotates the secret: the new one is shown once and both sign during the overlap', async () => {
    const created = await api('POST', '/webhooks', { url: `${receiver.url}/rotate`, events: ['auth.login.failed'] });
    const { id, secret: first } = created.body;
    const rotated = await api<{ id: string; secret: string; previous_secret_expires_at: string }>('POST', `/webhooks/${id}/rotate-secret`);
    expect(rotated.status).toBe(200);
    const second = rotated.body.secret;
    expect(second).toMatch(/^whsec_/);
    expect(second).not.toBe(first);
    expect(Date.parse(rotated.body.previous_secret_expires_at)).toBeGreaterThan(Date.now() + 23 * 3_600_000);
    expect(JSON.stringify((await api('GET', `/webhooks/${id}`)).body)).not.toContain('whsec_');

    const user = newUser();
    await system.post('/token', { username: user.username, password: 'not the password at all' });
    const delivery = await eventually(async () => receiver.received.find((r) => r.path === '/rotate'), 15_000, 'a delivery');
    expect(delivery.signature.split(' ')).toHaveLength(2);
    for (const secret of [first!, second])
      expect(new Webhook(secret).verify(delivery.body, delivery.headers)).toMatchObject({ type: 'auth.login.failed' });
  });
});
