import { describe, expect, it } from 'vitest';
import { operationIdOf } from './operation.js';

describe('operationIdOf', () => {
  it('names an operation by its method and path, parameters as `By` and their name', () => {
    expect(operationIdOf('POST', '/token')).toBe('postToken');
    expect(operationIdOf('POST', '/token/validate')).toBe('postTokenValidate');
    expect(operationIdOf('DELETE', '/sessions/:id')).toBe('deleteSessionsById');
    expect(operationIdOf('POST', '/webhooks/:id/deliveries/:delivery_id/redeliver')).toBe(
      'postWebhooksByIdDeliveriesByDeliveryIdRedeliver',
    );
    expect(operationIdOf('PATCH', '/sso/sites/{key}')).toBe('patchSsoSitesByKey');
  });

  it('keeps to letters and digits outside the namespace, and names the index', () => {
    expect(operationIdOf('GET', '/.well-known/jwks.json')).toBe('getWellKnownJwksJson');
    expect(operationIdOf('GET', '/healthz')).toBe('getHealthz');
    expect(operationIdOf('GET', '/')).toBe('getIndex');
    expect(operationIdOf('GET', '')).toBe('getIndex');
  });
});
