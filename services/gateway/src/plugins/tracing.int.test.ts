import { startTelemetry, type Telemetry } from '@headlesskey/platform';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Harness, startHarness, tokenReply } from '../../test/harness.js';

/** With the SDK running (as in a service process), a request's trace must reach the services. */
let h: Harness;
let telemetry: Telemetry;

beforeAll(async () => {
  telemetry = startTelemetry('gateway-test', {});
  h = await startHarness();
});
afterAll(async () => {
  await h.close();
  await telemetry.shutdown();
});

const TRACE_ID = '4bf92f3577b34da6a3ce929d0e0e4736';
const CALLER_SPAN = '00f067aa0ba902b7';

describe('tracing', () => {
  it("continues the caller's W3C trace into the command's NATS headers, under the gateway's spans", async () => {
    const app = h.app();
    const calls = await h.respond('identity', 'login', () => ({ ok: true, data: tokenReply() }));
    const res = await app.inject({
      method: 'POST',
      url: '/wp-json/headlesskey/v1/token',
      payload: { username: 'admin', password: 'x' },
      headers: { traceparent: `00-${TRACE_ID}-${CALLER_SPAN}-01` },
    });
    expect(res.statusCode).toBe(200);
    const traceparent = calls[0]?.headers?.get('traceparent') ?? '';
    const [, traceId, parentSpan, flags] = traceparent.split('-');
    expect(traceId).toBe(TRACE_ID);
    expect(parentSpan).toMatch(/^[0-9a-f]{16}$/);
    expect(parentSpan).not.toBe(CALLER_SPAN);
    expect(flags).toBe('01');
  });
});
