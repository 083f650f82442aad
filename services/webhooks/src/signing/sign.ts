import { createHmac } from 'node:crypto';
import { secretKey } from './secret.js';

/** `v1,<base64 HMAC-SHA256 of "{id}.{timestamp}.{body}">` under one secret (Standard Webhooks). */
export function signature(secret: string, messageId: string, timestampSeconds: number, body: string): string {
  const mac = createHmac('sha256', secretKey(secret)).update(`${messageId}.${timestampSeconds}.${body}`).digest('base64');
  return `v1,${mac}`;
}

/** The `webhook-signature` header: one signature per live secret, space-separated. */
export function signatureHeader(secrets: readonly string[], messageId: string, timestampSeconds: number, body: string): string {
  if (secrets.length === 0) throw new Error('a delivery is signed by at least one secret');
  return secrets.map((secret) => signature(secret, messageId, timestampSeconds, body)).join(' ');
}

export type WebhookHeaders = {
  'content-type': string;
  'user-agent': string;
  'webhook-id': string;
  'webhook-timestamp': string;
  'webhook-signature': string;
};

/** Every header of one attempt; the timestamp is the attempt's, the id the message's. */
export function webhookHeaders(secrets: readonly string[], messageId: string, timestampSeconds: number, body: string): WebhookHeaders {
  return {
    'content-type': 'application/json',
    'user-agent': 'HeadlessKey-Webhooks/1',
    'webhook-id': messageId,
    'webhook-timestamp': String(timestampSeconds),
    'webhook-signature': signatureHeader(secrets, messageId, timestampSeconds, body),
  };
}
