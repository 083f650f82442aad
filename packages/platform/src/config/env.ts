/**
 * Environment parsing with one clear line per bad value. Each reader names its variable, so the
 * process can stop with `HEADLESSKEY_PORT: expected an integer from 1 to 65535, got "abc"`.
 */
export class ConfigError extends Error {
  override readonly name = 'ConfigError';
}

type Env = Record<string, string | undefined>;

function raw(env: Env, name: string): string | undefined {
  const value = env[name];
  return value === undefined || value.trim() === '' ? undefined : value.trim();
}

function fail(name: string, expected: string, got: string): never {
  throw new ConfigError(`${name}: expected ${expected}, got "${got}"`);
}

export function str(env: Env, name: string, fallback: string): string {
  return raw(env, name) ?? fallback;
}

export function optionalStr(env: Env, name: string): string | undefined {
  return raw(env, name);
}

/**
 * A comma-separated list, each entry trimmed, blanks dropped; absent or blank is empty. Each entry
 * must pass `accept`, else the error names the first one refused and what was `expected`.
 */
export function list(env: Env, name: string, expected: string, accept: (entry: string) => boolean): string[] {
  const value = raw(env, name);
  if (value === undefined) return [];
  const entries = value
    .split(',')
    .map((entry) => entry.trim())
    .filter((entry) => entry !== '');
  const refused = entries.find((entry) => !accept(entry));
  if (refused !== undefined) fail(name, expected, refused);
  return entries;
}

export function int(env: Env, name: string, fallback: number, min: number, max: number): number {
  const value = raw(env, name);
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!/^-?\d+$/.test(value) || n < min || n > max) fail(name, `an integer from ${min} to ${max}`, value);
  return n;
}

export function bool(env: Env, name: string, fallback: boolean): boolean {
  const value = raw(env, name);
  if (value === undefined) return fallback;
  const word = value.toLowerCase();
  if (['true', '1', 'yes', 'on'].includes(word)) return true;
  if (['false', '0', 'no', 'off'].includes(word)) return false;
  return fail(name, 'true or false', value);
}

export function url(env: Env, name: string, fallback: string, protocols: string[]): string {
  const value = raw(env, name) ?? fallback;
  if (!isUrlOf(value, protocols)) fail(name, `a URL (${protocols.join(', ')})`, value);
  return value;
}

/** Comma-separated URLs (a cluster's seed servers), each checked like `url`; spaces around commas dropped. */
export function urlList(env: Env, name: string, fallback: string, protocols: string[]): string {
  const value = raw(env, name) ?? fallback;
  const parts = value.split(',').map((part) => part.trim());
  if (!parts.every((part) => isUrlOf(part, protocols))) fail(name, `comma-separated URLs (${protocols.join(', ')})`, value);
  return parts.join(',');
}

function isUrlOf(value: string, protocols: string[]): boolean {
  try {
    return protocols.includes(new URL(value).protocol);
  } catch {
    return false;
  }
}

export function pattern(env: Env, name: string, fallback: string, re: RegExp, what: string): string {
  const value = raw(env, name) ?? fallback;
  if (!re.test(value)) fail(name, what, value);
  return value;
}

export function oneOf<T extends string>(env: Env, name: string, fallback: T, values: readonly T[]): T {
  const value = raw(env, name) ?? fallback;
  if (!(values as readonly string[]).includes(value)) fail(name, `one of ${values.join(', ')}`, value);
  return value as T;
}
