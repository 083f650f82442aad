import type { IncomingHttpHeaders } from 'node:http';
import type { ErrorBody } from '@headlesskey/contracts';
import { type Static, Type } from '@sinclair/typebox';
import { invalidParams, missingParams } from '../plugins/validation-errors.js';

/**
 * The body of `POST /sso/exchange`. Each field is optional here: the headers form sends only the
 * token in the body, and which form a request uses decides what is missing.
 */
export const ExchangeBody = Type.Object({
  site_key: Type.Optional(Type.String({ minLength: 1, maxLength: 128 })),
  token: Type.Optional(Type.String({ minLength: 1 })),
  signature: Type.Optional(Type.String({ minLength: 1, maxLength: 256 })),
});
export type ExchangeBody = Static<typeof ExchangeBody>;

export interface ExchangeInput {
  site_key: string;
  signature: string;
  /** Only in the headers form: the signature then covers `"{timestamp}.{token}"`. */
  timestamp?: string;
}

const HEADERS = {
  site: 'x-headlesskey-site',
  timestamp: 'x-headlesskey-timestamp',
  signature: 'x-headlesskey-signature',
} as const;
const HEADER_LIMITS = { [HEADERS.site]: 128, [HEADERS.timestamp]: 32, [HEADERS.signature]: 256 };

/**
 * Which form an exchange request uses, and its site, signature and timestamp. Any
 * `X-HeadlessKey-*` header makes it the headers form, which then needs all three; otherwise the
 * body's `site_key` and `signature` are needed.
 */
export function exchangeInputOf(body: ExchangeBody, headers: IncomingHttpHeaders): ExchangeInput | { error: ErrorBody } {
  const names = Object.values(HEADERS);
  if (!names.some((name) => headers[name] !== undefined)) {
    const missing = (['site_key', 'signature'] as const).filter((field) => body[field] === undefined);
    if (missing.length > 0) return { error: missingParams(missing) };
    return { site_key: body.site_key!, signature: body.signature! };
  }
  const missing = names.filter((name) => headers[name] === undefined || headers[name] === '');
  if (missing.length > 0) return { error: missingParams(missing.map(headerName)) };
  const invalid: Record<string, string> = {};
  for (const name of names) {
    const value = headers[name];
    if (typeof value !== 'string') invalid[headerName(name)] = `${headerName(name)} must be sent once.`;
    else if (value.length > HEADER_LIMITS[name]) invalid[headerName(name)] = `${headerName(name)} is too long.`;
  }
  if (Object.keys(invalid).length > 0) return { error: invalidParams(invalid) };
  return {
    site_key: headers[HEADERS.site] as string,
    signature: headers[HEADERS.signature] as string,
    timestamp: headers[HEADERS.timestamp] as string,
  };
}

/** `x-headlesskey-site` → `X-HeadlessKey-Site`, as the contract spells it. */
function headerName(name: string): string {
  return name
    .replace('x-headlesskey-', 'X-HeadlessKey-')
    .replace(/-([a-z])([a-z]*)$/, (_m, first: string, rest: string) => `-${first.toUpperCase()}${rest}`);
}
