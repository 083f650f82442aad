import { type ErrorBody, STRING_FORMATS } from '@headlesskey/contracts';
import { FormatRegistry, type Static, type TSchema } from '@sinclair/typebox';
import { type TypeCheck, TypeCompiler } from '@sinclair/typebox/compiler';

export type Reply<T> = { ok: true; data: T } | { ok: false; error: ErrorBody };

const encoder = new TextEncoder();
const decoder = new TextDecoder();

export const encodeJson = (value: unknown): Uint8Array => encoder.encode(JSON.stringify(value));
export const decodeJson = (bytes: Uint8Array): unknown => JSON.parse(decoder.decode(bytes));

// The contract's string formats, known to every check of a command or event.
for (const [name, { test }] of Object.entries(STRING_FORMATS)) FormatRegistry.Set(name, test);

const checks = new WeakMap<TSchema, TypeCheck<TSchema>>();

/** Compiled once per schema: validation sits on every hop of the hot path. */
export function checker<T extends TSchema>(schema: T): TypeCheck<T> {
  let check = checks.get(schema);
  if (!check) {
    check = TypeCompiler.Compile(schema);
    checks.set(schema, check);
  }
  return check as TypeCheck<T>;
}

/** The first schema violation as `{ path: reason }`, for `rest_invalid_param`-style details. */
export function firstViolation<T extends TSchema>(schema: T, value: unknown): Record<string, string> | undefined {
  const error = checker(schema).Errors(value).First();
  return error ? { [error.path || '/']: error.message } : undefined;
}

export function isValid<T extends TSchema>(schema: T, value: unknown): value is Static<T> {
  return checker(schema).Check(value);
}
