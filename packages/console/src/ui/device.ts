/** What the server read off a User-Agent (the activity log's `device`, a session's fields). */
export interface DeviceParts {
  browser: string | null;
  os: string | null;
  type: string;
}

/** `Chrome 120 / Windows 10 / desktop`: the parts the server could tell, or `unknown`. */
export function deviceText({ browser, os, type }: DeviceParts): string {
  const known = [browser, os, type === 'unknown' ? null : type].filter(Boolean);
  return known.length > 0 ? known.join(' / ') : 'unknown';
}
