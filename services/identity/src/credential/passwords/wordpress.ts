import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import bcrypt from 'bcrypt';
import { PHPASS_SHAPE, phpassCost, phpassCrypt } from './phpass.js';

/**
 * A stored hash that came from WordPress starts with this, the WordPress hash after it verbatim.
 * Our own hashes are bcrypt over a prehash, so a WordPress `$2y$` (bcrypt over the raw password)
 * must never be read as one of ours: the marker tells them apart.
 */
export const WORDPRESS_MARKER = 'wp:';

/** How WordPress hashed a password: each is verified its own way. */
export type WordPressScheme = 'phpass' | 'wp-bcrypt' | 'bcrypt' | 'md5';

/** bcrypt costs accepted: PHP's default is 10; more than 2^15 rounds is no WordPress site's. */
const BCRYPT = '\\$2[aby]\\$(?:0[4-9]|1[0-5])\\$[./A-Za-z0-9]{53}';
const SHAPES: readonly [WordPressScheme, RegExp][] = [
  ['phpass', PHPASS_SHAPE],
  ['wp-bcrypt', new RegExp(`^\\$wp${BCRYPT}$`)],
  ['bcrypt', new RegExp(`^${BCRYPT}$`)],
  ['md5', /^[0-9a-f]{32}$/i],
];

/** The scheme of a hash as WordPress stores it (`wp_users.user_pass`), or undefined for one we cannot verify. */
export function wordPressScheme(hash: string): WordPressScheme | undefined {
  const scheme = SHAPES.find(([, shape]) => shape.test(hash))?.[0];
  if (scheme === 'phpass' && phpassCost(hash) === undefined) return undefined;
  return scheme;
}

export const isWordPressHash = (stored: string): boolean => stored.startsWith(WORDPRESS_MARKER);

/** The scheme of a stored hash imported from WordPress; undefined for our own. */
export const storedScheme = (stored: string): WordPressScheme | undefined =>
  isWordPressHash(stored) ? wordPressScheme(stored.slice(WORDPRESS_MARKER.length)) : undefined;

/**
 * Whether `password` is the one a stored WordPress hash was made from, as WordPress itself
 * decides: `wp_authenticate` trims what was typed, as `wp_hash_password` trimmed what was chosen.
 * WordPress's own forms hash the password with PHP's added slashes (a `'` is stored as `\'`):
 * a password that has such characters is also tried that way.
 */
export async function verifyWordPressHash(password: string, stored: string): Promise<boolean> {
  const hash = isWordPressHash(stored) ? stored.slice(WORDPRESS_MARKER.length) : stored;
  const scheme = wordPressScheme(hash);
  if (scheme === undefined) return false;
  const typed = phpTrim(password);
  if (await verifyScheme(scheme, Buffer.from(typed, 'utf8'), hash)) return true;
  const slashed = phpTrim(addSlashes(password));
  return slashed !== typed && verifyScheme(scheme, Buffer.from(slashed, 'utf8'), hash);
}

async function verifyScheme(scheme: WordPressScheme, password: Buffer, hash: string): Promise<boolean> {
  switch (scheme) {
    case 'md5':
      return sameText(createHash('md5').update(password).digest('hex'), hash.toLowerCase());
    case 'phpass':
      // phpass refuses longer passwords outright.
      return password.length <= 4096 && sameText((await phpassCrypt(password, hash)) ?? '', hash);
    case 'wp-bcrypt':
      // WordPress 6.8: bcrypt over the base 64 of HMAC-SHA384 keyed `wp-sha384`, so no byte past 72 is lost.
      return bcryptCompare(createHmac('sha384', 'wp-sha384').update(password).digest('base64'), hash.slice(3));
    case 'bcrypt':
      return bcryptCompare(password.toString('utf8'), hash);
  }
}

/** PHP writes `$2y$`; the bcrypt package knows the same algorithm as `$2b$`. */
const bcryptCompare = (password: string, hash: string) => bcrypt.compare(password, hash.replace(/^\$2y\$/, '$2b$'));

function sameText(a: string, b: string): boolean {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && timingSafeEqual(left, right);
}

/** PHP's `trim`: spaces, tabs, line ends, NUL and vertical tabs at either end. */
const PHP_SPACE = ' \t\n\r\0\v';
function phpTrim(value: string): string {
  let start = 0;
  let end = value.length;
  while (start < end && PHP_SPACE.includes(value[start] as string)) start++;
  while (end > start && PHP_SPACE.includes(value[end - 1] as string)) end--;
  return value.slice(start, end);
}

/** PHP's `addslashes`, as WordPress applies it to every form field. */
const addSlashes = (value: string) => value.replace(/[\\'"]/g, '\\$&').replace(/\0/g, '\\0');
