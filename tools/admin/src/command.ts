/** One subcommand of `npm run admin --`: its name, a line of help, and what it does. */
export interface AdminCommand {
  readonly name: string;
  /** `drop-instance NAME [--yes]` */
  readonly usage: string;
  readonly summary: string;
  /** Answers the exit code; throws a one-line error instead when it cannot do its work. */
  run(args: readonly string[], out: Output): Promise<number>;
}

export interface Output {
  /** What the command did or found (stdout). */
  say(line: string): void;
  /** Why it refused or failed (stderr). */
  warn(line: string): void;
}

/** A wrong use of a command: printed with its usage, exit 2. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}
