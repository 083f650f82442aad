import type { IncomingHttpHeaders } from 'node:http';
import { type ErrorBody, Text } from '@headlesskey/contracts';
import { type Static, Type } from '@sinclair/typebox';
import { invalidParams, missingParams } from '../plugins/validation-errors.js';

/**
 * The body of `POST /sso/exchange`. Each field is optional here: the headers form sends only the
 * token in the body, and which form a request uses decides what is missing.
 */
export const ExchangeBody = Type.Object({
  site_key: Type.Optional(Text({ minLength: 1, maxLength: 128 })),
  token: Type.Optional(Text({ minLength: 1 })),
  signature: Type.Optional(Text({ minLength: 1, maxLength: 256 })),
});
export type ExchangeBody = Static<typeof ExchangeBody>;

export interface ExchangeInput {
  site_key: string;
  signature: string;
  /** Only in the headers form: the signature then covers `"{timestamp}.{token}"`. */
  timestamp?: string;
}

/** The headers form's headers as Node names them, how the contract spells them, and their limits. */
const HEADERS = [
  { name: 'x-headlesskey-site', spelled: 'X-HeadlessKey-Site', max: 128 },
  { name: 'x-headlesskey-timestamp', spelled: 'X-HeadlessKey-Timestamp', max: 32 },
  { name: 'x-headlesskey-signature', spelled: 'X-HeadlessKey-Signature', max: 256 },
] as const;

/**
 * Which form an exchange request uses, and its site, signature and timestamp. Any
 * `X-HeadlessKey-*` header makes it the headers form, which then needs all three; otherwise the
 * body's `site_key` and `signature` are needed.
 */
export function exchangeInputOf(body: ExchangeBody, headers: IncomingHttpHeaders): ExchangeInput | { error: ErrorBody } {
  if (!HEADERS.some(({ name }) => headers[name] !== undefined)) {
    const missing = (['site_key', 'signature'] as const).filter((field) => body[field] === undefined);
    if (missing.length > 0) return { error: missingParams(missing) };
    return { site_key: body.site_key!, signature: body.signature! };
  }
  const missing = HEADERS.filter(({ name }) => headers[name] === undefined || headers[name] === '');
  if (missing.length > 0) return { error: missingParams(missing.map((h) => h.spelled)) };
  const invalid: Record<string, string> = {};
  for (const { name, spelled, max } of HEADERS) {
    const value = headers[name];
    if (typeof value !== 'string') invalid[spelled] = `${spelled} must be sent once.`;
    else if (value.length > max) invalid[spelled] = `${spelled} is too long.`;
  }
  if (Object.keys(invalid).length > 0) return { error: invalidParams(invalid) };
  const [site, timestamp, signature] = HEADERS.map(({ name }) => headers[name] as string);
  return { site_key: site!, signature: signature!, timestamp: timestamp! };
}
