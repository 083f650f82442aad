/*
 * Requests built from the served OpenAPI document, for the input fuzz test: a valid base request
 * per operation, and the same request with one field replaced by a hostile value.
 */

export interface JsonSchema {
  type?: string | string[];
  enum?: unknown[];
  const?: unknown;
  anyOf?: JsonSchema[];
  oneOf?: JsonSchema[];
  properties?: Record<string, JsonSchema>;
  required?: string[];
  items?: JsonSchema;
  minItems?: number;
  minLength?: number;
  maxLength?: number;
  minimum?: number;
  pattern?: string;
  format?: string;
  $ref?: string;
}

interface Parameter {
  name: string;
  in: 'path' | 'query' | 'header' | 'cookie';
  required?: boolean;
  schema: JsonSchema;
}

interface Operation {
  parameters?: Parameter[];
  requestBody?: { content?: Record<string, { schema: JsonSchema }> };
}

type Servers = { url: string }[];

const METHODS = ['get', 'post', 'put', 'patch', 'delete'] as const;
type PathItem = { servers?: Servers } & Partial<Record<(typeof METHODS)[number], Operation>>;

export interface OpenApiDocument {
  servers?: Servers;
  paths: Record<string, PathItem>;
  components?: { schemas?: Record<string, JsonSchema> };
}

/** Where a fuzzed field sits in a request. */
export type FieldPlace = 'path' | 'query' | 'body';

export interface Field {
  place: FieldPlace;
  name: string;
}

export interface OperationPlan {
  method: string;
  /** The document's path template, `/wp-json/…/sessions/{id}`. */
  path: string;
  fields: Field[];
  /** A valid value for every path parameter and required body field. */
  base: { path: Record<string, string>; body: Record<string, unknown> | undefined };
}

/**
 * Values no route may answer with a 5xx: NUL and lone surrogates inside text, 64 KiB strings,
 * numbers past 2^53 and past PostgreSQL's `integer`, negative and fractional numbers, and values of
 * every other JSON type where a scalar goes. A fixed list: the run is the same every time.
 */
export const HOSTILE_VALUES: readonly unknown[] = [
  '\u0000',
  'a\u0000b',
  '\ud800',
  'a\udc00b',
  '\udfff\ud800',
  'x'.repeat(65_536),
  '\u00e9'.repeat(32_768),
  2 ** 53 + 2,
  1e308,
  -1,
  -(2 ** 31),
  2 ** 31,
  2 ** 32,
  1.5,
  true,
  null,
  [],
  ['a'],
  {},
  { a: 1 },
];

/** The hostile values that are strings holding a NUL or a lone surrogate: always refused as invalid. */
export const isBrokenText = (value: unknown): value is string =>
  typeof value === 'string' && value.length < 16 && (value.includes('\u0000') || /[\ud800-\udfff]/.test(value));

const SAMPLE_STRINGS = ['a1b2c3', 'fuzz@example.com', '00000000-0000-4000-8000-000000000000', '123456', '2026-01-01T00:00:00Z', '1'];

/** Every operation of the document with the fields it takes, skipping those of the documentation itself. */
export function planOperations(doc: OpenApiDocument): OperationPlan[] {
  const plans: OperationPlan[] = [];
  for (const [path, item] of Object.entries(doc.paths)) {
    if (path.startsWith('/docs')) continue;
    for (const method of METHODS) {
      const op = item[method];
      if (!op) continue;
      const params = (op.parameters ?? []).filter((p) => p.in === 'path' || p.in === 'query');
      const bodySchema = resolve(doc, op.requestBody?.content?.['application/json']?.schema);
      const fields: Field[] = [
        ...params.map((p) => ({ place: p.in as FieldPlace, name: p.name })),
        ...Object.keys(bodySchema?.properties ?? {}).map((name) => ({ place: 'body' as const, name })),
      ];
      const pathValues = Object.fromEntries(params.filter((p) => p.in === 'path').map((p) => [p.name, String(sample(doc, p.schema))]));
      const body = bodySchema ? (sample(doc, bodySchema) as Record<string, unknown>) : undefined;
      plans.push({
        method: method.toUpperCase(),
        path: underServer(path, item.servers ?? doc.servers),
        fields,
        base: { path: pathValues, body },
      });
    }
  }
  return plans;
}

/** A path of the document from the server's root, whichever way the document names its server. */
function underServer(path: string, servers: Servers | undefined): string {
  const url = servers?.[0]?.url;
  const base = url === undefined ? '' : new URL(url, 'http://server.invalid').pathname.replace(/\/$/, '');
  return base && !path.startsWith(`${base}/`) && path !== base ? `${base}${path}` : path;
}

/** The URL (from the server root) and body of `plan` with `field` set to `value`. */
export function requestOf(plan: OperationPlan, field: Field, value: unknown): { url: string; body: unknown } {
  const asText = (v: unknown) => (typeof v === 'string' ? v : JSON.stringify(v));
  const path = plan.path.replace(/\{([^}]+)\}/g, (_m, name: string) =>
    percentEncode(field.place === 'path' && field.name === name ? asText(value) : (plan.base.path[name] ?? '1')),
  );
  const query = field.place === 'query' ? `?${encodeURIComponent(field.name)}=${percentEncode(asText(value))}` : '';
  const body = plan.base.body === undefined && field.place !== 'body' ? undefined : { ...plan.base.body };
  if (field.place === 'body') (body as Record<string, unknown>)[field.name] = value;
  return { url: `${path}${query}`, body };
}

/**
 * Percent-encodes every code unit, a lone surrogate included (as its three WTF-8 bytes), which
 * `encodeURIComponent` refuses to do.
 */
export function percentEncode(text: string): string {
  let out = '';
  for (const char of text) {
    const cp = char.codePointAt(0)!;
    if (/^[A-Za-z0-9_.~-]$/.test(char)) out += char;
    else
      out += utf8Bytes(cp)
        .map((b) => `%${b.toString(16).toUpperCase().padStart(2, '0')}`)
        .join('');
  }
  return out;
}

function utf8Bytes(cp: number): number[] {
  if (cp < 0x80) return [cp];
  if (cp < 0x800) return [0xc0 | (cp >> 6), 0x80 | (cp & 63)];
  if (cp < 0x10000) return [0xe0 | (cp >> 12), 0x80 | ((cp >> 6) & 63), 0x80 | (cp & 63)];
  return [0xf0 | (cp >> 18), 0x80 | ((cp >> 12) & 63), 0x80 | ((cp >> 6) & 63), 0x80 | (cp & 63)];
}

function resolve(doc: OpenApiDocument, schema: JsonSchema | undefined): JsonSchema | undefined {
  if (!schema?.$ref) return schema;
  return doc.components?.schemas?.[schema.$ref.split('/').pop()!];
}

/** A value the schema takes, as far as its keywords tell: required fields only for objects. */
function sample(doc: OpenApiDocument, raw: JsonSchema): unknown {
  const schema = resolve(doc, raw)!;
  if (schema.const !== undefined) return schema.const;
  if (schema.enum) return schema.enum[0];
  const options = schema.anyOf ?? schema.oneOf;
  if (options) return sample(doc, options.find((o) => o.type !== 'null') ?? options[0]!);
  const type = Array.isArray(schema.type) ? schema.type[0] : schema.type;
  switch (type) {
    case 'string':
      return SAMPLE_STRINGS.find((s) => fitsString(schema, s)) ?? 'a'.repeat(schema.minLength ?? 1);
    case 'integer':
    case 'number':
      return schema.minimum ?? 1;
    case 'boolean':
      return true;
    case 'array':
      return schema.minItems ? [sample(doc, schema.items ?? {})] : [];
    case 'object':
      return Object.fromEntries((schema.required ?? []).map((name) => [name, sample(doc, schema.properties?.[name] ?? {})]));
    default:
      return 'a1b2c3';
  }
}

function fitsString(schema: JsonSchema, value: string): boolean {
  if (schema.minLength !== undefined && value.length < schema.minLength) return false;
  if (schema.maxLength !== undefined && value.length > schema.maxLength) return false;
  if (schema.pattern !== undefined && !new RegExp(schema.pattern, 'u').test(value)) return false;
  if (schema.format === 'user-id') return value === '1';
  return true;
}
