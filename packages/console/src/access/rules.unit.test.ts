import { narrows, ROLES, ROUTE_ACCESS } from '@headlesskey/contracts';
import { beforeAll, describe, expect, it } from 'vitest';

// The build puts the contract's defaults in; here the test does.
let rules: typeof import('./rules.js');
beforeAll(async () => {
  Object.assign(globalThis, { __ROUTE_ACCESS__: JSON.parse(JSON.stringify(ROUTE_ACCESS)), __ROLES__: [...ROLES] });
  rules = await import('./rules.js');
});

const KNOWN = [...ROLES, 'support'];

describe('the access screen’s choices', () => {
  it('offer for every route exactly what the contract’s `narrows` lets through', () => {
    for (const [route, base] of Object.entries(ROUTE_ACCESS)) {
      const { kinds, roles } = rules.offered(base, KNOWN);
      for (const kind of ['public', 'authenticated'] as const) expect([route, kinds.includes(kind)]).toEqual([route, narrows(base, kind)]);
      for (const role of KNOWN) expect([route, role, roles.includes(role)]).toEqual([route, role, narrows(base, [role])]);
      // Some list of roles always narrows: every route can be kept to (some of) its roles.
      expect(kinds).toContain('roles');
    }
  });

  it('patch only the routes changed, as the API takes them', () => {
    const inForce = { 'GET /me': 'authenticated', 'GET /logs': ['administrator'] } as const;
    const drafts = {
      'GET /me': { kind: 'roles' as const, roles: ['administrator', 'editor'] },
      'GET /logs': rules.toDraft(['administrator']),
    };
    expect(rules.accessPatch({ ...inForce, 'GET /logs': ['administrator'] }, drafts)).toEqual({ 'GET /me': ['administrator', 'editor'] });
  });

  it('place a refusal on the route it names, anything else on the whole table', () => {
    expect(
      rules.problemsByRoute({ access: 'access[GET /logs] is restricted to administrator: it can be narrowed…', token_ttl: 'too short' }),
    ).toEqual({ 'GET /logs': 'access[GET /logs] is restricted to administrator: it can be narrowed…', '': 'too short' });
    expect(rules.problemsByRoute({ access: 'access[GET /nowhere] names no route.' })).toEqual({
      '': 'access[GET /nowhere] names no route.',
    });
  });
});
