import { createHash } from 'node:crypto';

/** phpass's own base-64 alphabet, in its order: a hash's cost character is an index into it. */
const ITOA64 = './0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';

/**
 * The largest cost (log2 of the MD5 rounds) accepted. WordPress writes 13 (`$P$B`); phpass allows
 * up to 30, but the rounds run on identity's event loop, so a hash asking for more than 2^16 is
 * refused at import rather than let stall every other request.
 */
export const PHPASS_MAX_COST = 16;

/** A phpass portable hash (`$P$` as WordPress up to 6.7 writes it, `$H$` as phpBB does). */
export const PHPASS_SHAPE = /^\$[PH]\$[./0-9A-Za-z]{31}$/;

/** The cost a phpass hash asks for, or undefined when it is outside what we run. */
export function phpassCost(hash: string): number | undefined {
  const cost = ITOA64.indexOf(hash[3] ?? '');
  return cost >= 7 && cost <= PHPASS_MAX_COST ? cost : undefined;
}

/** MD5 rounds run between two turns of the event loop: about a millisecond's work. */
const SLICE = 512;

/**
 * phpass's `crypt_private`: MD5 over the salt and the password, then over the digest and the
 * password 2^cost times; the setting's first 12 characters and the digest in phpass's base 64.
 * Undefined for a setting it would refuse. The rounds (8,192 for WordPress's hashes) run in
 * slices, so requests are served in between rather than wait for the whole loop.
 */
export async function phpassCrypt(password: Buffer, setting: string): Promise<string | undefined> {
  if (!PHPASS_SHAPE.test(setting)) return undefined;
  const cost = phpassCost(setting);
  if (cost === undefined) return undefined;
  let digest = md5(Buffer.from(setting.slice(4, 12), 'latin1'), password);
  for (let rounds = 1 << cost; rounds > 0; rounds--) {
    digest = md5(digest, password);
    if (rounds % SLICE === 0) await new Promise(setImmediate);
  }
  return setting.slice(0, 12) + encode64(digest);
}

function md5(first: Buffer, second: Buffer): Buffer {
  return createHash('md5').update(first).update(second).digest();
}

/** phpass's `encode64`: little-endian groups of three bytes, six bits at a time. */
export function encode64(input: Buffer): string {
  let out = '';
  for (let i = 0; i < input.length; i += 3) {
    const left = input.length - i;
    const value = (input[i] ?? 0) | ((input[i + 1] ?? 0) << 8) | ((input[i + 2] ?? 0) << 16);
    out += ITOA64[value & 0x3f];
    out += ITOA64[(value >> 6) & 0x3f];
    if (left > 1) out += ITOA64[(value >> 12) & 0x3f];
    if (left > 2) out += ITOA64[(value >> 18) & 0x3f];
  }
  return out;
}
