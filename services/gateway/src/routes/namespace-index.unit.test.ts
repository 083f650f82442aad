import { Type } from '@sinclair/typebox';
import { describe, expect, it } from 'vitest';
import { namespacesOf } from './index.js';
import { namespaceIndex } from './namespace-index.js';
import { defineRoute, type RouteGroup } from './route.js';

const never = async () => ({ ok: false as const, error: { code: 'headlesskey_internal_error' as const } });
const groups: RouteGroup[] = [
  {
    name: 'sessions',
    routes: [
      defineRoute({ method: 'GET', url: '/sessions', summary: 'list', handle: never }),
      defineRoute({ method: 'DELETE', url: '/sessions/:id', summary: 'end', handle: never }),
      defineRoute({
        method: 'POST',
        url: '/sessions',
        summary: 'open',
        body: Type.Object({ name: Type.String(), tags: Type.Optional(Type.Array(Type.String())), any: Type.Optional(Type.Any()) }),
        handle: never,
      }),
    ],
  },
];

describe('namespaceIndex', () => {
  it('lists the index itself, then each path once with every method and its arguments', () => {
    expect(namespaceIndex('hk/v9', groups)).toEqual({
      namespace: 'hk/v9',
      routes: {
        '/hk/v9': { namespace: 'hk/v9', methods: ['GET'], endpoints: [{ methods: ['GET'], args: {} }] },
        '/hk/v9/sessions': {
          namespace: 'hk/v9',
          methods: ['GET', 'POST'],
          endpoints: [
            { methods: ['GET'], args: {} },
            {
              methods: ['POST'],
              args: { name: { type: 'string', required: true }, tags: { type: 'array', required: false }, any: { required: false } },
            },
          ],
        },
        '/hk/v9/sessions/(?P<id>[^/]+)': { namespace: 'hk/v9', methods: ['DELETE'], endpoints: [{ methods: ['DELETE'], args: {} }] },
      },
    });
  });
});

describe('namespacesOf', () => {
  it('adds the legacy alias unless it is off or already the namespace', () => {
    expect(namespacesOf({ namespace: 'headlesskey', version: 'v1', legacyNamespace: true })).toEqual(['headlesskey/v1', 'wpauthapi/v1']);
    expect(namespacesOf({ namespace: 'headlesskey', version: 'v1', legacyNamespace: false })).toEqual(['headlesskey/v1']);
    expect(namespacesOf({ namespace: 'wpauthapi', version: 'v1', legacyNamespace: true })).toEqual(['wpauthapi/v1']);
  });
});
