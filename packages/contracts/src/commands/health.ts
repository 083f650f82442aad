import { Type } from '@sinclair/typebox';
import type { CommandService } from '../naming.js';
import { defineCommand, READ_ONLY } from './define.js';

export const PingReply = Type.Object({ service: Type.String(), store: Type.Optional(Type.Boolean()) });

/** Every command service answers `ping`; readiness asks each one. */
export const ping = (service: CommandService) => defineCommand(service, 'ping', Type.Object({}), PingReply, READ_ONLY);
