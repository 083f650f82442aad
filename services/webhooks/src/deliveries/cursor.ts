/**
 * The position after the last delivery of a page: its creation time (microseconds, as PostgreSQL
 * keeps it) and id. Opaque to clients: base64url of a small JSON array, checked when it comes back.
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

export function decodeCursor(text: string): Cursor | undefined {
  let value: unknown;
  try {
    value = JSON.parse(Buffer.from(text, 'base64url').toString('utf8'));
  } catch {
    return undefined;
  }
  if (!Array.isArray(value) || value.length !== 2) return undefined;
  const [at, id] = value as unknown[];
  if (typeof at !== 'string' || typeof id !== 'string' || !AT.test(at) || !ID.test(id) || !Number.isFinite(Date.parse(at)))
    return undefined;
  return { at, id };
}

/** `per_page`: 1–100, 50 unless given. */
export function pageSize(text: string | undefined): number | undefined {
  if (text === undefined) return 50;
  const n = Number(text);
  return Number.isInteger(n) && n >= 1 && n <= 100 ? n : undefined;
}
