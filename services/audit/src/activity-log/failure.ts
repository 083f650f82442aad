/**
 * Whether the store refused a write because of what was written (SQLSTATE class 22, data
 * exception, or 23, integrity constraint): writing it again can never work, so the event is
 * poison. Anything else (a lost connection, a timeout) is worth retrying.
 */
export function isRefusedData(err: unknown): boolean {
  const e = err as { code?: unknown; sqlState?: unknown } | null;
  const code = typeof e?.code === 'string' ? e.code : typeof e?.sqlState === 'string' ? e.sqlState : '';
  return /^2[23][0-9A-Z]{3}$/.test(code);
}
