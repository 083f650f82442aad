import type { TSchema } from '@sinclair/typebox';
import type { CommandService } from '../naming.js';

/** A command is data: who serves it, its name on the bus, and the schemas of both directions. */
export interface CommandDef<Req extends TSchema = TSchema, Rep extends TSchema = TSchema> {
  readonly service: CommandService;
  readonly name: string;
  readonly request: Req;
  readonly reply: Rep;
}

export function defineCommand<Req extends TSchema, Rep extends TSchema>(
  service: CommandService,
  name: string,
  request: Req,
  reply: Rep,
): CommandDef<Req, Rep> {
  return Object.freeze({ service, name, request, reply });
}
