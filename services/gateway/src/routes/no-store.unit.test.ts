import { describe, expect, it } from 'vitest';
import { API_ROUTES } from './index.js';
import { carriesCredential, routeKey } from './route.js';

describe('answers never stored by caches', () => {
  it('are those of every route whose answer carries a token or a secret, read from its schema', () => {
    const routes = API_ROUTES.flatMap((group) => group.routes);
    expect(routes.filter(carriesCredential).map(routeKey).sort()).toEqual([
      'POST /login',
      'POST /register',
      'POST /sso/exchange',
      'POST /sso/sites',
      'POST /sso/sites/{key}/rotate-secret',
      'POST /token',
      'POST /token/refresh',
      'POST /webhooks',
      'POST /webhooks/{id}/rotate-secret',
    ]);
  });
});
