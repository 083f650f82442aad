import type { EventEnvelope } from '@headlesskey/contracts';

/** The body of every delivery (Standard Webhooks): the event type, when it happened, and its data. */
export interface WebhookPayload {
  type: string;
  timestamp: string;
  data: Record<string, unknown>;
}

const SECRET_NAME = /pass(word|phrase)?|secret|token|otp|hash|signature|credential|authori[sz]ation|cookie|private|(^|_)key$|^code$|^pin$/i;
const PUBLIC_NAMES = new Set(['site_key', 'kid']);
const SECRET_VALUE = [/^eyJ[\w-]*\.[\w-]+\.[\w-]*$/, /^whsec_/, /^Bearer\s/i, /\$2[aby]\$\d\d\$/];

/**
 * The event's data with who and where: ids, IP and device. Events carry no secret, and the payload
 * makes sure of it: a field named like a credential, or a value shaped like a token, is left out.
 */
export function webhookPayload(event: EventEnvelope): WebhookPayload {
  const data = withoutSecrets(event.data) as Record<string, unknown>;
  data.ip ??= event.meta.ip ?? null;
  data.device ??= event.meta.device ?? null;
  data.user_agent ??= event.meta.userAgent ?? null;
  return { type: event.type, timestamp: event.occurredAt, data };
}

function withoutSecrets(value: unknown, depth = 0): unknown {
  if (depth > 8) return undefined;
  if (typeof value === 'string') return SECRET_VALUE.some((re) => re.test(value)) ? undefined : value;
  if (Array.isArray(value)) return value.map((item) => withoutSecrets(item, depth + 1)).filter((item) => item !== undefined);
  if (value !== null && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [key, item] of Object.entries(value)) {
      if (SECRET_NAME.test(key) && !PUBLIC_NAMES.has(key)) continue;
      const kept = withoutSecrets(item, depth + 1);
      if (kept !== undefined) out[key] = kept;
    }
    return out;
  }
  return value;
}
