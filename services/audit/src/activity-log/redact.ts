/**
 * Events carry no credential (DESIGN.md), and the activity log makes sure of it: a field whose
 * name says secret, or a value shaped like a bearer token or a webhook secret, never reaches a row.
 */
const SECRET_NAME = /pass(word|phrase)?|secret|token|otp|hash|signature|credential|authori[sz]ation|cookie|private|(^|_)key$|^code$|^pin$/i;
/** Identifiers whose names look secret but are not. */
const PUBLIC_NAMES = new Set(['site_key', 'kid']);
const SECRET_VALUE = [/^eyJ[\w-]*\.[\w-]+\.[\w-]*$/, /^whsec_/, /^Bearer\s/i, /\$2[aby]\$\d\d\$/];

export const REDACTED = '[redacted]';

export function isSecretName(name: string): boolean {
  return SECRET_NAME.test(name) && !PUBLIC_NAMES.has(name);
}

/** A copy of `value` with secret-named fields and secret-shaped strings replaced, at any depth. */
export function redact(value: unknown, depth = 0): unknown {
  if (depth > 8) return REDACTED;
  if (typeof value === 'string') return SECRET_VALUE.some((re) => re.test(value)) ? REDACTED : value;
  if (Array.isArray(value)) return value.map((item) => redact(item, depth + 1));
  if (value !== null && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [key, item] of Object.entries(value)) out[key] = isSecretName(key) ? REDACTED : redact(item, depth + 1);
    return out;
  }
  return value;
}
