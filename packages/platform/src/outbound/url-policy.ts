import { isIP } from 'node:net';

export type UrlVerdict = { ok: true; url: URL; host: string; literal: string | null } | { ok: false; reason: string };

/**
 * The form of an outbound URL (a webhook, a JWKS): http or https, no credentials, a host. The
 * WHATWG parser writes the host canonically (`http://2130706433/` and `http://0x7f.1/` both become
 * `127.0.0.1`), so a literal address is recognised here whatever its spelling; the address rule is
 * the guard's. Reasons name the URL as `name` (the field it came in).
 */
export function checkUrl(text: string, name = 'url'): UrlVerdict {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return { ok: false, reason: `${name} is not a valid URL.` };
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return { ok: false, reason: `${name} must use http or https.` };
  if (url.username !== '' || url.password !== '') return { ok: false, reason: `${name} must not carry credentials.` };
  const host = url.hostname.startsWith('[') ? url.hostname.slice(1, -1) : url.hostname;
  if (host === '') return { ok: false, reason: `${name} must name a host.` };
  return { ok: true, url, host, literal: isIP(host) ? host : null };
}
