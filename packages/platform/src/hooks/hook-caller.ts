import { DEFAULT_SETTINGS, type HookDef, type HookName, type HookPolicy, type Names, type Settings } from '@headlesskey/contracts';
import { type NatsConnection, RequestError, TimeoutError } from '@nats-io/transport-node';
import type { Static } from '@sinclair/typebox';
import type { Logger } from 'pino';
import { checker, decodeJson, encodeJson } from '../bus/codec.js';
import type { SettingsReader } from '../settings/settings-reader.js';
import { injectTrace } from '../telemetry/propagation.js';

/**
 * What asking a hook came to: its subscriber's valid `reply`; `skipped` when nobody subscribes
 * or the hook failed open (go on as if there were no hook); `unavailable` when it failed closed.
 */
export type HookOutcome<T> = { status: 'answered'; reply: T } | { status: 'skipped' } | { status: 'unavailable' };

/** A hook's timeout and failure policy in these settings: its own, or its default. */
export const hookPolicy = (settings: Settings, hook: HookName): HookPolicy => settings.hooks[hook] ?? DEFAULT_SETTINGS.hooks[hook]!;

/**
 * Each call applies the hook's live policy, or `policy` when given: the one a caller read
 * already and acts on (whether a refusal is possible decides what it may do meanwhile).
 */
export interface HookCaller {
  call<H extends HookDef>(hook: H, payload: Static<H['request']>, policy?: HookPolicy): Promise<HookOutcome<Static<H['reply']>>>;
  /**
   * Asks the hook about many requests decided together, each answered in its place. The first
   * is asked alone: when nobody subscribes, the others are skipped without asking, as they
   * would have been at the same moment; otherwise they are asked at once.
   */
  callEach<H extends HookDef>(
    hook: H,
    payloads: readonly Static<H['request']>[],
    policy?: HookPolicy,
  ): Promise<HookOutcome<Static<H['reply']>>[]>;
}

const SKIPPED = { status: 'skipped' } as const;

/** A reply bigger than this is a broken one: hook replies end up in tokens and messages. */
export const MAX_HOOK_REPLY_BYTES = 4096;

/**
 * Asks hooks over NATS request/reply on `<instance>.hook.<name>`. With no subscriber the server
 * answers "no responders" at once, so an unused hook costs one round trip, never a timeout.
 * A timeout, an error, or a reply that breaks the hook's schema is a failure, and the hook's
 * live setting (`hooks` in settings) says whether it fails open or closed.
 */
export function createHookCaller(nc: NatsConnection, names: Names, settings: SettingsReader, logger: Logger): HookCaller {
  /** The outcome, and whether the hook had no subscriber at all. */
  const ask = async <H extends HookDef>(hook: H, payload: Static<H['request']>, pinned?: HookPolicy) => {
    const policy = pinned ?? hookPolicy(settings.current(), hook.name);
    const failed = (reason: string) => {
      logger.warn({ hook: hook.name, reason, fail: policy.fail }, 'hook failed');
      return { outcome: policy.fail === 'open' ? SKIPPED : ({ status: 'unavailable' } as const), unsubscribed: false };
    };
    let data: Uint8Array;
    try {
      const msg = await nc.request(names.hook(hook.name), encodeJson(payload), { timeout: policy.timeout_ms, headers: injectTrace() });
      data = msg.data;
    } catch (err) {
      if (err instanceof RequestError && err.isNoResponders()) return { outcome: SKIPPED, unsubscribed: true };
      return failed(err instanceof TimeoutError ? 'timeout' : 'request failed');
    }
    if (data.length > MAX_HOOK_REPLY_BYTES) return failed('reply too large');
    let reply: unknown;
    try {
      reply = decodeJson(data);
    } catch {
      return failed('reply is not JSON');
    }
    if (!checker(hook.reply).Check(reply)) return failed('reply breaks the schema');
    return { outcome: { status: 'answered', reply } as HookOutcome<Static<H['reply']>>, unsubscribed: false };
  };
  return {
    async call(hook, payload, policy) {
      return (await ask(hook, payload, policy)).outcome;
    },
    async callEach(hook, payloads, policy) {
      const [first, ...rest] = payloads;
      if (first === undefined) return [];
      const asked = await ask(hook, first, policy);
      if (asked.unsubscribed) return payloads.map(() => SKIPPED);
      return [asked.outcome, ...(await Promise.all(rest.map(async (p) => (await ask(hook, p, policy)).outcome)))];
    },
  };
}
