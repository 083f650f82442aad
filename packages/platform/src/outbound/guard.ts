import { promises as dns, type LookupAddress, type LookupOptions } from 'node:dns';
import { checkAddress } from './address-policy.js';
import { checkUrl } from './url-policy.js';

/** Every address a host name resolves to. */
export type Resolver = (host: string) => Promise<LookupAddress[]>;

export const systemResolver: Resolver = (host) => dns.lookup(host, { all: true, verbatim: true });

export type Verdict = { ok: true } | { ok: false; reason: string };

/** How an outbound request is guarded: one policy for every request the system makes. */
export interface GuardOptions {
  /**
   * Lifts the private-address rule (development and tests): the URL's form is still checked,
   * and a cloud metadata address is still refused.
   */
  allowPrivate: boolean;
  resolve?: Resolver;
}

/** A connection the guard refused: the attempt fails without a byte sent. */
export class RefusedTarget extends Error {
  override readonly name = 'RefusedTarget';
  readonly code = 'ERR_OUTBOUND_TARGET_REFUSED';
}

/**
 * The check made when a target URL is configured (a webhook endpoint, a site's JWKS): the URL's
 * form, and then every address its host resolves to (a literal address is checked as it is). It
 * is repeated at every connection by `guardedLookup`, since what a name resolves to can change.
 * With `allowPrivate`, a host that does not resolve is let through: its connection is checked.
 * Reasons name the URL as `name`.
 */
export async function checkTarget(text: string, opts: GuardOptions, name = 'url'): Promise<Verdict> {
  const url = checkUrl(text, name);
  if (!url.ok) return url;
  if (url.literal) {
    const verdict = checkAddress(url.literal, opts);
    return verdict.allowed ? { ok: true } : { ok: false, reason: `${name} points to ${verdict.address}, ${verdict.kind}.` };
  }
  let addresses: LookupAddress[];
  try {
    addresses = await (opts.resolve ?? systemResolver)(url.host);
  } catch {
    return opts.allowPrivate ? { ok: true } : { ok: false, reason: `${name} names a host that does not resolve.` };
  }
  const refused = firstRefused(addresses, opts.allowPrivate);
  if (refused) return { ok: false, reason: `${name} names a host that resolves to ${refused}.` };
  return addresses.length > 0 || opts.allowPrivate ? { ok: true } : { ok: false, reason: `${name} names a host that does not resolve.` };
}

/** A URL about to be connected to: its form, and a literal address (no lookup will see it). */
export type ConnectTarget = { ok: true; url: URL; host: string } | { ok: false; reason: string };

/** The check at connect time before the socket opens; a host name is then checked by `guardedLookup`. */
export function connectTarget(text: string, opts: GuardOptions): ConnectTarget {
  const url = checkUrl(text);
  if (!url.ok) return url;
  if (url.literal) {
    const verdict = checkAddress(url.literal, opts);
    if (!verdict.allowed) return { ok: false, reason: `${verdict.address}, ${verdict.kind}` };
  }
  return { ok: true, url: url.url, host: url.host };
}

function firstRefused(addresses: readonly LookupAddress[], allowPrivate: boolean): string | undefined {
  for (const { address } of addresses) {
    const verdict = checkAddress(address, { allowPrivate });
    if (!verdict.allowed) return `${verdict.address}, ${verdict.kind}`;
  }
  return undefined;
}

type LookupCallback = (err: NodeJS.ErrnoException | null, address: string | LookupAddress[], family?: number) => void;

/**
 * A `lookup` for node's http and https requests: resolves the host itself, refuses the connection
 * when any address is not allowed, and hands the socket only addresses it checked, so the
 * connection goes to an address that passed (no second resolution to rebind).
 */
export function guardedLookup(opts: GuardOptions) {
  const resolve = opts.resolve ?? systemResolver;
  return (hostname: string, options: LookupOptions, callback: LookupCallback): void => {
    resolve(hostname).then(
      (addresses) => {
        const refused = firstRefused(addresses, opts.allowPrivate);
        if (refused) return callback(new RefusedTarget(`refused: ${hostname} resolves to ${refused}`), '');
        const family = options.family === 4 || options.family === 6 ? options.family : undefined;
        const usable = family ? addresses.filter((a) => a.family === family) : addresses;
        const first = usable[0];
        if (!first) return callback(Object.assign(new Error(`${hostname} has no usable address`), { code: 'ENOTFOUND' }), '');
        if (options.all) return callback(null, usable);
        callback(null, first.address, first.family);
      },
      (err: NodeJS.ErrnoException) => callback(err, ''),
    );
  };
}
