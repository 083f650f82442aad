import { type ErrorBody, patternRule, STRING_FORMATS } from '@headlesskey/contracts';

/** The part of an ajv error this mapping reads (Fastify's `FastifySchemaValidationError`). */
export interface SchemaIssue {
  keyword: string;
  instancePath: string;
  params: Record<string, unknown>;
  /** The schema holding the failed keyword (ajv's `verbose`): its other bounds, its choices. */
  parentSchema?: Record<string, unknown>;
}

/** `rest_missing_callback_param` for the names given (the message is worded from them when sent). */
export function missingParams(params: string[]): ErrorBody {
  return { code: 'rest_missing_callback_param', details: { params } };
}

/** `rest_invalid_param`: `params` maps each name to its reason, as WordPress does. */
export function invalidParams(params: Record<string, string>): ErrorBody {
  return { code: 'rest_invalid_param', details: { params } };
}

/**
 * Turns ajv's errors on a body into the WordPress REST error. Missing fields win over wrong ones,
 * as in WordPress, which checks that required arguments are present before it validates any.
 */
export function bodyValidationError(issues: readonly SchemaIssue[]): ErrorBody {
  const missing = new Set<string>();
  for (const issue of issues) {
    if (issue.keyword === 'required' && issue.instancePath === '') missing.add(String(issue.params.missingProperty));
  }
  if (missing.size > 0) return missingParams([...missing]);
  // Per field, the first issue of the deepest path: inside a list of choices (`anyOf`), the item
  // that matches none says more than the first choice's "not of type string". At one depth the
  // list of choices itself says more than any one of them.
  const chosen = new Map<string, { path: string[]; issue: SchemaIssue }>();
  for (const issue of issues) {
    const path = pointerSegments(issue.instancePath);
    // A field the schema does not allow (only schemas that refuse extras): named by its own path.
    if (issue.keyword === 'additionalProperties') path.push(String(issue.params.additionalProperty));
    // A non-object body never reaches validation (the JSON parser refuses it); this is a backstop.
    if (path.length === 0) return { code: 'headlesskey_invalid_json' };
    const name = path[0]!;
    const before = chosen.get(name);
    const deeper = !before || path.length > before.path.length;
    if (deeper || (path.length === before.path.length && issue.keyword === 'anyOf')) chosen.set(name, { path, issue });
  }
  const params: Record<string, string> = {};
  for (const [name, { path, issue }] of chosen) params[name] = reason(displayName(path), issue);
  return invalidParams(params);
}

/**
 * A refused body's error with the problems of rules beyond its schema added, for the fields the
 * schema did not already name: one answer names every bad field. Missing fields still win.
 */
export function withRuleProblems(error: ErrorBody, problems: Readonly<Record<string, string>>): ErrorBody {
  if (error.code !== 'rest_invalid_param') return error;
  const params = (error.details?.params ?? {}) as Record<string, string>;
  return invalidParams({ ...problems, ...params });
}

/**
 * WordPress's wording (rest_validate_value_from_schema) for the keywords our schemas use; a pattern
 * or a format is told in the words the contract gives it, never as the expression.
 */
function reason(name: string, issue: SchemaIssue): string {
  const p = issue.params;
  switch (issue.keyword) {
    case 'type':
      return `${name} is not of type ${String(p.type)}.`;
    case 'minLength':
      return `${name} must be at least ${plural(Number(p.limit), 'character')} long.`;
    case 'maxLength':
      return `${name} must be at most ${plural(Number(p.limit), 'character')} long.`;
    case 'pattern':
      return `${name} ${patternRule(String(p.pattern)) ?? 'is not in the expected format.'}`;
    case 'enum':
    case 'const':
    case 'anyOf':
      return choice(name, issue.parentSchema);
    case 'minimum':
    case 'maximum':
      return range(name, issue);
    case 'additionalProperties':
      return `${name} is not a known parameter.`;
    case 'required':
      return `${name}[${String(p.missingProperty)}] is required.`;
    case 'minItems':
      return `${name} must list at least ${plural(Number(p.limit), 'item')}.`;
    case 'maxItems':
      return `${name} must list at most ${plural(Number(p.limit), 'item')}.`;
    case 'uniqueItems':
      return `${name} must not list an item twice.`;
    case 'maxProperties':
      return `${name} must have at most ${plural(Number(p.limit), 'member')}.`;
    case 'format': {
      const format = Object.hasOwn(STRING_FORMATS, String(p.format)) ? STRING_FORMATS[String(p.format)] : undefined;
      return `${name} ${format?.rule ?? `is not a valid ${String(p.format)}.`}`;
    }
    default:
      return `${name} is invalid.`;
  }
}

/** A list of plain values is named in full; a richer list of choices is not. */
function choice(name: string, schema: Record<string, unknown> = {}): string {
  const options = Array.isArray(schema.enum) ? schema.enum : Array.isArray(schema.anyOf) ? schema.anyOf.map((o) => o?.const) : [];
  const plain = options.length > 0 && options.every((o) => ['string', 'number', 'boolean'].includes(typeof o));
  return plain ? `${name} must be one of ${options.join(', ')}.` : `${name} is not one of the allowed values.`;
}

/** A number with both bounds is told both, as WordPress does; with one, that one. */
function range(name: string, issue: SchemaIssue): string {
  const { minimum, maximum } = issue.parentSchema ?? {};
  if (typeof minimum === 'number' && typeof maximum === 'number')
    return `${name} must be between ${minimum} (inclusive) and ${maximum} (inclusive).`;
  const limit = String(issue.params.limit);
  return issue.keyword === 'minimum'
    ? `${name} must be greater than or equal to ${limit}.`
    : `${name} must be less than or equal to ${limit}.`;
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

/** JSON Pointer (`/roles/0`) to its unescaped segments. */
function pointerSegments(pointer: string): string[] {
  if (pointer === '') return [];
  return pointer
    .slice(1)
    .split('/')
    .map((s) => s.replaceAll('~1', '/').replaceAll('~0', '~'));
}

/** `roles[0]`, the way WordPress names a nested argument. */
function displayName(path: string[]): string {
  const [head, ...rest] = path;
  return `${head}${rest.map((s) => `[${s}]`).join('')}`;
}
