import { ROUTE_ACCESS } from '@headlesskey/contracts';
import { describe, expect, it } from 'vitest';
import { ruleFor } from '../plugins/access.js';
import { API_ROUTES } from './index.js';
import { defaultAccess, routeKey } from './route.js';

const routes = API_ROUTES.flatMap((group) => group.routes);

describe('route access', () => {
  it('keys routes by method and path, parameters in braces', () => {
    expect(routeKey({ method: 'DELETE', url: '/sessions/:id' })).toBe('DELETE /sessions/{id}');
    expect(routeKey({ method: 'POST', url: '/webhooks/:id/deliveries/:delivery_id/redeliver' })).toBe(
      'POST /webhooks/{id}/deliveries/{delivery_id}/redeliver',
    );
  });

  it("takes every route's default access from the contract's catalog, which lists no route not served", () => {
    const served = routes.map(routeKey);
    expect(new Set(served).size).toBe(routes.length);
    expect(served.toSorted()).toEqual(Object.keys(ROUTE_ACCESS).toSorted());
    for (const route of routes) expect(defaultAccess(route)).toEqual(ROUTE_ACCESS[routeKey(route)]);
    expect(() => defaultAccess({ method: 'GET', url: '/nowhere' })).toThrow(/no entry in ROUTE_ACCESS/);
  });

  it('applies a setting that narrows a route, and keeps the default against one that would open it', () => {
    expect(ruleFor('public', undefined)).toBe('public');
    expect(ruleFor('public', ['editor'])).toEqual(['editor']);
    expect(ruleFor('authenticated', ['administrator'])).toEqual(['administrator']);
    expect(ruleFor('authenticated', 'public')).toBe('authenticated');
    expect(ruleFor(['administrator'], 'public')).toEqual(['administrator']);
    expect(ruleFor(['administrator'], 'authenticated')).toEqual(['administrator']);
    expect(ruleFor(['administrator'], ['subscriber'])).toEqual(['administrator']);
  });
});
