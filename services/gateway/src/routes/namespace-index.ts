import type { TObject } from '@sinclair/typebox';
import type { RouteGroup } from './route.js';

/** One argument as WordPress lists it in a namespace index. */
export interface IndexArg {
  type?: string;
  required: boolean;
}

export interface IndexEndpoint {
  methods: string[];
  args: Record<string, IndexArg>;
}

export interface IndexRoute {
  namespace: string;
  methods: string[];
  endpoints: IndexEndpoint[];
}

/** `GET /wp-json/{namespace}`, shaped as WordPress shapes it. */
export interface NamespaceIndex {
  namespace: string;
  routes: Record<string, IndexRoute>;
}

/**
 * Builds the index of one namespace (`headlesskey/v1`) from the route table, so it can never
 * disagree with the routes actually served. The index itself comes first, as in WordPress.
 */
export function namespaceIndex(namespace: string, groups: readonly RouteGroup[]): NamespaceIndex {
  const routes: Record<string, IndexRoute> = {
    [`/${namespace}`]: { namespace, methods: ['GET'], endpoints: [{ methods: ['GET'], args: {} }] },
  };
  for (const route of groups.flatMap((group) => group.routes)) {
    const path = `/${namespace}${wordpressPath(route.url)}`;
    const entry = routes[path] ?? { namespace, methods: [], endpoints: [] };
    routes[path] = entry;
    entry.methods.push(route.method);
    entry.endpoints.push({ methods: [route.method], args: argsOf(route.body) });
  }
  return { namespace, routes };
}

/** `/sessions/:id` → `/sessions/(?P<id>[^/]+)`, the regex form WordPress routes are listed in. */
function wordpressPath(url: string): string {
  return url.replace(/:([A-Za-z_][A-Za-z0-9_]*)/g, '(?P<$1>[^/]+)');
}

function argsOf(body: TObject | undefined): Record<string, IndexArg> {
  if (!body) return {};
  const required = new Set(body.required ?? []);
  const args: Record<string, IndexArg> = {};
  for (const [name, schema] of Object.entries(body.properties)) {
    const type = typeof schema.type === 'string' ? schema.type : undefined;
    args[name] = type ? { type, required: required.has(name) } : { required: required.has(name) };
  }
  return args;
}
