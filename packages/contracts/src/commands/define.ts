import type { TSchema } from '@sinclair/typebox';
import type { CommandService } from '../naming.js';

/** A command is data: who serves it, its name on the bus, and the schemas of both directions. */
export interface CommandDef<Req extends TSchema = TSchema, Rep extends TSchema = TSchema> {
  readonly service: CommandService;
  readonly name: string;
  readonly request: Req;
  readonly reply: Rep;
  /**
   * It changes nothing a caller could tell (a read; at most a touch such as a session's last
   * use): sent twice, it answers as once. The command client may then send it again while an
   * earlier attempt is unanswered — a replica that died holding it never answers, and NATS does
   * not say so. A command without it is sent exactly once.
   */
  readonly readOnly?: boolean;
}

/** What a command is besides its names and schemas. */
export interface CommandTraits {
  readOnly?: boolean;
}

/** The traits of a command that only reads: see `CommandDef.readOnly`. */
export const READ_ONLY: CommandTraits = Object.freeze({ readOnly: true });

export function defineCommand<Req extends TSchema, Rep extends TSchema>(
  service: CommandService,
  name: string,
  request: Req,
  reply: Rep,
  traits: CommandTraits = {},
): CommandDef<Req, Rep> {
  return Object.freeze({ service, name, request, reply, ...(traits.readOnly ? { readOnly: true } : {}) });
}
