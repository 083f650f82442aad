import { promises as dns, type LookupAddress, type LookupOptions } from 'node:dns';
import { checkAddress } from './address-policy.js';
import { checkUrl } from './url-policy.js';

/** Every address a host name resolves to. */
export type Resolver = (host: string) => Promise<LookupAddress[]>;

export const systemResolver: Resolver = (host) => dns.lookup(host, { all: true, verbatim: true });

export type Verdict = { ok: true } | { ok: false; reason: string };

export interface GuardOptions {
  /** Lifts the address rule (development and tests); the URL's form is still checked. */
  allowPrivate: boolean;
  resolve?: Resolver;
}

/** A connection the guard refused: the attempt fails without a byte sent. */
export class RefusedTarget extends Error {
  override readonly name = 'RefusedTarget';
  readonly code = 'ERR_WEBHOOK_TARGET_REFUSED';
}

/**
 * The check made when an endpoint is created or its URL changed: the URL's form, and then every
 * address its host resolves to (a literal address is checked as it is). It is repeated at every
 * connection by `guardedLookup`, since what a name resolves to can change.
 */
export async function checkTarget(text: string, opts: GuardOptions): Promise<Verdict> {
  const url = checkUrl(text);
  if (!url.ok) return url;
  if (opts.allowPrivate) return { ok: true };
  if (url.literal) {
    const verdict = checkAddress(url.literal);
    return verdict.allowed ? { ok: true } : { ok: false, reason: `url points to ${verdict.address}, ${verdict.kind}.` };
  }
  let addresses: LookupAddress[];
  try {
    addresses = await (opts.resolve ?? systemResolver)(url.host);
  } catch {
    return { ok: false, reason: 'url names a host that does not resolve.' };
  }
  const refused = firstRefused(addresses);
  if (refused) return { ok: false, reason: `url names a host that resolves to ${refused}.` };
  return addresses.length > 0 ? { ok: true } : { ok: false, reason: 'url names a host that does not resolve.' };
}

function firstRefused(addresses: readonly LookupAddress[]): string | undefined {
  for (const { address } of addresses) {
    const verdict = checkAddress(address);
    if (!verdict.allowed) return `${verdict.address}, ${verdict.kind}`;
  }
  return undefined;
}

type LookupCallback = (err: NodeJS.ErrnoException | null, address: string | LookupAddress[], family?: number) => void;

/**
 * A `lookup` for node's http and https requests: resolves the host itself, refuses the connection
 * when any address is not allowed, and hands the socket only addresses it checked, so the
 * connection goes to an address that passed (no second resolution to rebind). With
 * `allowPrivate` it only resolves.
 */
export function guardedLookup(resolve: Resolver = systemResolver, allowPrivate = false) {
  return (hostname: string, options: LookupOptions, callback: LookupCallback): void => {
    resolve(hostname).then(
      (addresses) => {
        const refused = allowPrivate ? undefined : firstRefused(addresses);
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
