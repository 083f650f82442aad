import { Type } from '@sinclair/typebox';
import { IssuedToken, ValidateReply } from '../http/replies.js';
import { RequestContext, UserView } from '../user.js';
import { defineCommand } from './define.js';

/** Opens a session for an authenticated user and signs its first token. */
export const issue = defineCommand('tokens', 'issue', Type.Object({ user: UserView, context: RequestContext }), IssuedToken);

export const validate = defineCommand(
  'tokens',
  'validate',
  Type.Object({ token: Type.String({ minLength: 1, maxLength: 8192 }), context: RequestContext }),
  ValidateReply,
);
