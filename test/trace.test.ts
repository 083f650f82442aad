import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ReceivedSpan, startOtlpReceiver } from './support/otlp-receiver.js';
import { startTestSystem, type TestSystem } from './support/system.js';
import { eventually, registerAndLogin } from './support/users.js';

/** Walks up from a span to the root of its trace, through the parents that arrived. */
function ancestry(span: ReceivedSpan, spans: ReceivedSpan[]): ReceivedSpan[] {
  const chain = [span];
  for (let s = span; s.parentSpanId; ) {
    const parent = spans.find((p) => p.spanId === s.parentSpanId);
    if (!parent) break;
    chain.push(parent);
    s = parent;
  }
  return chain;
}

describe('one login, one trace', () => {
  let system: TestSystem;
  let receiver: Awaited<ReturnType<typeof startOtlpReceiver>>;

  beforeAll(async () => {
    receiver = await startOtlpReceiver();
    system = await startTestSystem({
      env: { OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url, OTEL_EXPORTER_OTLP_PROTOCOL: 'http/json', OTEL_TRACES_SAMPLER: 'always_on' },
    });
  });

  afterAll(async () => {
    await system?.stop();
    await receiver?.close();
  });

  it('follows a login from the gateway through identity to tokens and into the audit projector', async () => {
    const { token } = await registerAndLogin(system);
    expect(token.split('.')).toHaveLength(3);
    // The login's event, consumed by the projector, names the trace; the whole login is in it.
    const consumed = await eventually(
      async () => receiver.spans.find((s) => s.service === 'headlesskey-audit' && s.name === 'consume auth.login.succeeded'),
      15_000,
      'the audit span of the login event',
    );
    const issue = await eventually(
      async () =>
        receiver.spans.find((s) => s.service === 'headlesskey-tokens' && s.name === 'tokens.issue' && s.traceId === consumed.traceId),
      15_000,
      'the tokens.issue span of that trace',
    );
    // Spans arrive in batches: wait until the chain reaches its root.
    const rooted = (span: ReceivedSpan) => {
      const chain = ancestry(span, receiver.spans);
      return chain.at(-1)?.parentSpanId === undefined ? chain : undefined;
    };
    const chain = (await eventually(async () => rooted(issue), 15_000, 'the root of the login trace')).map((s) => s.service).reverse();
    expect(chain[0]).toBe('headlesskey-gateway');
    expect(chain).toEqual(expect.arrayContaining(['headlesskey-gateway', 'headlesskey-identity', 'headlesskey-tokens']));
    expect(chain.indexOf('headlesskey-identity')).toBeLessThan(chain.indexOf('headlesskey-tokens'));
    expect((await eventually(async () => rooted(consumed), 15_000, 'the root of the event trace')).at(-1)?.service).toBe(
      'headlesskey-gateway',
    );
  });
});
