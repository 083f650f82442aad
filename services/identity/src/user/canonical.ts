/**
 * One canonical form for names and emails, at registration and login alike, so look-alikes
 * (full-width letters, ligatures, letter case) cannot make a second account of the same name.
 */
export function canonicalName(value: string): string {
  return value.normalize('NFKC').trim();
}

/** The key a login or email is reserved under: both share one namespace, case-insensitively. */
export function identifierKey(value: string): string {
  return canonicalName(value).toLowerCase();
}

export function canonicalEmail(value: string): string {
  return canonicalName(value).toLowerCase();
}
