import { freePort } from '@headlesskey/local';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Sample, sampleValue, scrape } from './support/prometheus.js';
import { startTestSystem, type TestSystem } from './support/system.js';
import { claimsOf, type Issued, login, refresh, register } from './support/tokens.js';
import { eventually } from './support/users.js';

/** Operators scrape each process's own `/metrics` port; these are a few of them. */
describe('metrics for Prometheus', () => {
  let system: TestSystem;
  const ports = { gateway: 0, identity: 0, tokens: 0, audit: 0 };

  beforeAll(async () => {
    for (const service of Object.keys(ports) as (keyof typeof ports)[]) ports[service] = await freePort();
    const serviceEnv = Object.fromEntries(
      Object.entries(ports).map(([service, port]) => [service, { HEADLESSKEY_METRICS_PORT: String(port) }]),
    );
    system = await startTestSystem({ serviceEnv });
  });
  afterAll(() => system?.stop());

  /** Scrapes until `probe` finds what it looks for: the gateway records a request once it has answered it. */
  const until = (port: number, probe: (samples: Sample[]) => boolean) =>
    eventually(async () => {
      const samples = await scrape(port);
      return probe(samples) ? samples : undefined;
    });

  it('count logins by outcome, time POST /token by route and status, and count refreshes and reuse', async () => {
    const user = await register(system, 'metrics');
    const first = await login(system, user);
    expect(first.status).toBe(200);
    expect((await login(system, { ...user, password: 'not the password at all' })).status).toBe(403);
    const once = (await refresh(system, first.body.token)).body as Issued;
    await refresh(system, once.token);
    // The grandparent of the live token: reuse, which ends the session.
    expect((await refresh(system, first.body.token)).status).toBe(401);
    expect(claimsOf(once.token).sid).toBe(claimsOf(first.body.token).sid);

    const identity = await scrape(ports.identity);
    expect(sampleValue(identity, 'headlesskey_identity_logins_total', { outcome: 'succeeded' })).toBe(1);
    expect(sampleValue(identity, 'headlesskey_identity_logins_total', { outcome: 'failed' })).toBe(1);
    expect(sampleValue(identity, 'headlesskey_identity_logins_total', { outcome: 'locked' })).toBeUndefined();

    const tokens = await scrape(ports.tokens);
    expect(sampleValue(tokens, 'headlesskey_tokens_refreshes_total', { outcome: 'succeeded' })).toBe(2);
    expect(sampleValue(tokens, 'headlesskey_tokens_refreshes_total', { outcome: 'refused' })).toBe(1);
    expect(sampleValue(tokens, 'headlesskey_tokens_reuse_detections_total')).toBe(1);

    const route = '/wp-json/headlesskey/v1/token';
    const token = { http_request_method: 'POST', http_route: route };
    const gateway = await until(
      ports.gateway,
      (s) => sampleValue(s, 'http_server_request_duration_count', { ...token, http_response_status_code: '403' }) === 1,
    );
    expect(sampleValue(gateway, 'http_server_request_duration_count', { ...token, http_response_status_code: '200' })).toBe(1);
    expect(sampleValue(gateway, 'http_server_request_duration_bucket', { ...token, http_response_status_code: '200', le: '+Inf' })).toBe(1);
    expect(sampleValue(gateway, 'http_server_request_duration_sum', { ...token, http_response_status_code: '200' })).toBeGreaterThan(0);
  });

  it('report the outbox and the consumers: all handled once the system is idle', async () => {
    const consumer = system.names.consumer('audit');
    const audit = await until(ports.audit, (s) => sampleValue(s, 'headlesskey_consumer_pending', { consumer }) === 0);
    expect(sampleValue(audit, 'headlesskey_consumer_lag', { consumer })).toBeGreaterThanOrEqual(0);
    const identity = await until(ports.identity, (s) => sampleValue(s, 'headlesskey_outbox_backlog') === 0);
    expect(sampleValue(identity, 'headlesskey_outbox_lag')).toBe(0);
  });
});
