import { describe, expect, it } from 'vitest';
import type { EndpointRow } from './store.js';
import { signingSecrets, toWebhookView } from './view.js';

const row: EndpointRow = {
  id: '0190c6a0-0000-7000-8000-000000000001',
  url: 'https://hooks.example.com/in',
  description: 'alerts',
  events: ['*'],
  enabled: true,
  disabled_reason: null,
  secret: 'whsec_new',
  previous_secret: 'whsec_old',
  previous_secret_expires_at: '2026-01-02T00:00:00.000Z',
  created_at: '2026-01-01T00:00:00.000Z',
  updated_at: '2026-01-01T00:00:00.000Z',
};

describe('toWebhookView', () => {
  it('shows no secret', () => {
    const view = toWebhookView(row);
    expect(JSON.stringify(view)).not.toContain('whsec_');
    expect(view).toEqual({
      id: row.id,
      url: row.url,
      events: ['*'],
      description: 'alerts',
      enabled: true,
      disabled_reason: null,
      created_at: '2026-01-01T00:00:00.000Z',
      updated_at: '2026-01-01T00:00:00.000Z',
    });
  });
});

describe('signingSecrets', () => {
  it('signs with both secrets while the previous one overlaps, then with the current one only', () => {
    expect(signingSecrets(row, Date.parse('2026-01-01T12:00:00Z'))).toEqual(['whsec_new', 'whsec_old']);
    expect(signingSecrets(row, Date.parse('2026-01-02T00:00:00Z'))).toEqual(['whsec_new']);
    expect(signingSecrets({ ...row, previous_secret: null, previous_secret_expires_at: null }, 0)).toEqual(['whsec_new']);
  });
});
