import type { ErrorBody } from '@headlesskey/contracts';
import { checker } from '@headlesskey/platform';
import type { Static, TObject } from '@sinclair/typebox';
import { ValueErrorType } from '@sinclair/typebox/errors';
import type { FastifyRequest } from 'fastify';
import { bodyValidationError, type SchemaIssue } from '../plugins/validation-errors.js';

/**
 * The query string of a GET route, checked against its schema with the body's WordPress wording
 * (`rest_invalid_param` naming each field). Parameters the schema does not name are ignored, as
 * WordPress ignores them; a repeated parameter arrives as a list and is refused.
 */
export function queryOf<T extends TObject>(schema: T, request: FastifyRequest): { query: Static<T> } | { error: ErrorBody } {
  const raw = (request.query ?? {}) as Record<string, unknown>;
  const query: Record<string, unknown> = {};
  for (const key of Object.keys(schema.properties)) {
    if (Object.hasOwn(raw, key) && raw[key] !== undefined) query[key] = raw[key];
  }
  const check = checker(schema);
  if (check.Check(query)) return { query: query as Static<T> };
  return { error: bodyValidationError([...check.Errors(query)].map(toIssue)) };
}

/** A TypeBox error in the shape of the ajv error the body mapping reads. */
function toIssue(error: { type: ValueErrorType; schema: Record<string, unknown>; path: string }): SchemaIssue {
  const at = { instancePath: error.path };
  switch (error.type) {
    case ValueErrorType.String:
      return { ...at, keyword: 'type', params: { type: 'string' } };
    case ValueErrorType.StringFormat:
      return { ...at, keyword: 'format', params: { format: error.schema.format } };
    case ValueErrorType.StringPattern:
      return { ...at, keyword: 'pattern', params: { pattern: error.schema.pattern } };
    case ValueErrorType.StringMaxLength:
      return { ...at, keyword: 'maxLength', params: { limit: error.schema.maxLength } };
    case ValueErrorType.StringMinLength:
      return { ...at, keyword: 'minLength', params: { limit: error.schema.minLength } };
    case ValueErrorType.Literal:
    case ValueErrorType.Union:
      return { ...at, keyword: 'anyOf', params: {}, parentSchema: error.schema };
    default:
      return { ...at, keyword: 'invalid', params: {} };
  }
}
