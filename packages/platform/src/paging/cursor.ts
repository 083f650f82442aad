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

/** A keyset-paging position over a serial id (newest first: the last id a page showed). */
export function encodeIdCursor(id: number): string {
  return Buffer.from(JSON.stringify(['id', id])).toString('base64url');
}

/** The id, or undefined when the text is not an id cursor a service issued. */
export function decodeIdCursor(text: string): number | undefined {
  try {
    const value: unknown = JSON.parse(Buffer.from(text, 'base64url').toString('utf8'));
    if (Array.isArray(value) && value.length === 2 && value[0] === 'id' && Number.isSafeInteger(value[1]) && value[1] > 0) {
      return value[1] as number;
    }
  } catch {
    // Not JSON: not ours.
  }
  return undefined;
}
