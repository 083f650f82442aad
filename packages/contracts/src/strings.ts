import { type StringOptions, Type } from '@sinclair/typebox';

/*
 * What a valid string is, for every request schema of the contract. The gateway's validator and
 * the services' command checks both register `STRING_FORMATS`, so a string refused here is refused
 * before any command is sent, and a command never carries one.
 */

/** The largest user id: ids are PostgreSQL `integer`s. */
export const USER_ID_MAX = 2_147_483_647;

/**
 * Text: any Unicode scalar value but NUL. NUL cannot be stored (PostgreSQL text refuses it) and an
 * unpaired surrogate is no character at all (UTF-8 cannot carry it).
 */
export function isText(value: string): boolean {
  for (let i = 0; i < value.length; i++) {
    const unit = value.charCodeAt(i);
    if (unit === 0) return false;
    if (unit >= 0xdc00 && unit <= 0xdfff) return false;
    if (unit >= 0xd800 && unit <= 0xdbff) {
      const next = value.charCodeAt(i + 1);
      if (!(next >= 0xdc00 && next <= 0xdfff)) return false;
      i++;
    }
  }
  return true;
}

/**
 * What a username may hold (the PRECIS IdentifierClass of RFC 8265, with the space WordPress
 * allows): letters, combining marks, decimal digits, and printable ASCII. Control, format
 * (zero-width, bidi), separator and symbol characters are out.
 */
const USERNAME_CHARACTERS = /^[\p{L}\p{M}\p{Nd}\x20-\x7e]*$/u;

/**
 * The scripts a username's letters may come from together (UTS #39, "highly restrictive"): one
 * recommended script (UAX #31, table 5), or Latin with the scripts Chinese, Japanese and Korean
 * are written in. Characters common to all scripts (digits, ASCII punctuation) and inherited marks
 * go with any. So `pаypal` with a Cyrillic `а` is refused, `山田taro` is not.
 */
const RECOMMENDED_SCRIPTS = (
  'Arabic Armenian Bengali Bopomofo Cyrillic Devanagari Ethiopic Georgian Greek Gujarati Gurmukhi Han Hangul ' +
  'Hebrew Hiragana Kannada Katakana Khmer Lao Latin Malayalam Myanmar Oriya Sinhala Tamil Telugu Thaana Thai Tibetan'
).split(' ');
const SCRIPT_SETS: readonly (readonly string[])[] = [
  ...RECOMMENDED_SCRIPTS.map((script) => [script]),
  ['Latin', 'Han', 'Hiragana', 'Katakana'],
  ['Latin', 'Han', 'Bopomofo'],
  ['Latin', 'Han', 'Hangul'],
];
const SCRIPT_CHECKS = SCRIPT_SETS.map(
  (scripts) => new RegExp(`^[\\p{Script=Common}\\p{Script=Inherited}${scripts.map((s) => `\\p{Script_Extensions=${s}}`).join('')}]*$`, 'u'),
);

/** Why `login` (in its canonical form) cannot be a new username, or undefined when it can. */
export function usernameProblem(login: string): string | undefined {
  if (!isText(login) || !USERNAME_CHARACTERS.test(login)) return USERNAME_RULES.characters;
  if (!SCRIPT_CHECKS.some((check) => check.test(login))) return USERNAME_RULES.scripts;
  return undefined;
}

/** Each half of the username rule in words, after the field's name. */
export const USERNAME_RULES = Object.freeze({
  characters: 'may contain only letters, combining marks, digits, spaces and ASCII punctuation (no control or invisible characters).',
  scripts: 'must not mix letters of different scripts, such as Latin and Cyrillic (Latin may go with Chinese, Japanese or Korean).',
});

/** A user id in a path, as text: digits, no leading zero, at most `USER_ID_MAX`. */
export function isUserId(value: string): boolean {
  return /^[1-9][0-9]{0,9}$/.test(value) && Number(value) <= USER_ID_MAX;
}

/**
 * The string formats of the contract: each one's test, and what it asks for in words, after the
 * field's name (the message a refused value gets).
 */
export const STRING_FORMATS: Readonly<Record<string, { test: (value: string) => boolean; rule: string }>> = Object.freeze({
  text: { test: isText, rule: 'must not contain a NUL character or an unpaired surrogate.' },
  username: {
    test: (value: string) => usernameProblem(value.normalize('NFKC').trim()) === undefined,
    rule: `${USERNAME_RULES.characters.slice(0, -1)}, and ${USERNAME_RULES.scripts}`,
  },
  'user-id': { test: isUserId, rule: `must be a user id: a whole number from 1 to ${USER_ID_MAX}.` },
});

/** `STRING_FORMATS` as Ajv's `formats` option takes them: how Fastify learns the contract's formats. */
export function ajvStringFormats(): Record<string, { type: 'string'; validate: (value: string) => boolean }> {
  return Object.fromEntries(Object.entries(STRING_FORMATS).map(([name, { test }]) => [name, { type: 'string' as const, validate: test }]));
}

/**
 * The patterns of the contract's request strings, each with what it asks for in words (after the
 * field's name): a refused value is told that, never the expression. All but `email` are
 * ASCII-only, so they let no NUL or surrogate through; an email is `Text` as well.
 */
export const PATTERNS = Object.freeze({
  email: { pattern: '^[^\\s@]+@[^\\s@]+$', rule: 'must be an email address, such as ada@example.com.' },
  uuid: { pattern: '^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$', rule: 'must be a lower-case UUID.' },
  otp: { pattern: '^[0-9]{6}$', rule: 'must be the 6-digit code of the email.' },
  siteKey: {
    pattern: '^[a-z0-9][a-z0-9._-]{0,63}$',
    rule: 'must be 1 to 64 lower-case letters, digits, dots, dashes or underscores, starting with a letter or a digit.',
  },
  eventTypes: { pattern: '^[a-z_.]+(,[a-z_.]+)*$', rule: 'must be one or more event types, separated by commas.' },
  ipOrCidr: { pattern: '^[0-9A-Fa-f:.]+(/[0-9]{1,3})?$', rule: 'must be an IP address or a CIDR block.' },
  dateTime: {
    pattern: '^(\\d{4})-(\\d{2})-(\\d{2})(?:T(\\d{2}):(\\d{2})(?::(\\d{2})(?:\\.\\d{1,6})?)?(Z|[+-]\\d{2}:\\d{2}))?$',
    rule: 'must be an RFC 3339 date-time, such as 2026-01-31T12:00:00Z (a date alone means its midnight UTC).',
  },
  cursor: { pattern: '^[A-Za-z0-9_-]+$', rule: 'must be the next_cursor of an earlier page.' },
  role: { pattern: '^[a-z][a-z0-9_]{0,31}$', rule: 'must be a role: 1 to 32 lower-case letters, digits or _, starting with a letter.' },
  perPage: { pattern: '^(?:[1-9][0-9]?|100)$', rule: 'must be a whole number from 1 to 100.' },
});

/** What a pattern of `PATTERNS` asks for, by its expression. */
export function patternRule(pattern: string): string | undefined {
  return Object.values(PATTERNS).find((entry) => entry.pattern === pattern)?.rule;
}

/** A string of text (see `isText`): every free-form string of a request is one of these. */
export const Text = (options: StringOptions = {}) => Type.String({ ...options, format: 'text' });

/** A user id in a path: the text of a positive `integer`. */
export const UserIdParam = Type.String({ format: 'user-id' });

/** The path parameters of a route under `/users/{id}`. */
export const UserIdPath = Type.Object({ id: UserIdParam });

/** A user id in a command. */
export const UserId = Type.Integer({ minimum: 1, maximum: USER_ID_MAX });
