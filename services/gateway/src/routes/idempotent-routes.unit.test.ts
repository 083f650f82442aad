import { describe, expect, it } from 'vitest';
import { API_ROUTES } from './index.js';
import { routeKey } from './route.js';

const routes = API_ROUTES.flatMap((group) => group.routes);

describe('Idempotency-Key', () => {
  it('is taken by every route that writes, and by no read', () => {
    // `/token/validate` is a POST that only reads.
    const reads = new Set(['POST /token/validate']);
    for (const route of routes) {
      const writes = route.method !== 'GET' && !reads.has(routeKey(route));
      expect({ route: routeKey(route), idempotent: route.idempotent === true }).toEqual({ route: routeKey(route), idempotent: writes });
    }
  });
});
