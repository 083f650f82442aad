/**
 * A keyset-paging position: the last row's time (microseconds, as PostgreSQL keeps it) and its
 * UUID. Opaque to clients: base64url of a small JSON array, checked strictly when it comes back.
 */
export interface Cursor {
  at: string;
  id: string;
}

const AT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}Z$/;
const ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

export function encodeCursor(cursor: Cursor): string {
  return Buffer.from(JSON.stringify([cursor.at, cursor.id])).toString('base64url');
}

/** The cursor, or undefined when the text is not one a service issued. */
export function decodeCursor(text: string): Cursor | undefined {
  let value: unknown;
  try {
    value = JSON.parse(Buffer.from(text, 'base64url').toString('utf8'));
  } catch {
    return undefined;
  }
  if (!Array.isArray(value) || value.length !== 2) return undefined;
  const [at, id] = value as unknown[];
  if (typeof at !== 'string' || typeof id !== 'string' || !AT.test(at) || !ID.test(id)) return undefined;
  if (!Number.isFinite(Date.parse(at))) return undefined;
  return { at, id };
}
