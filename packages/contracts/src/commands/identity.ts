import { Type } from '@sinclair/typebox';
import { RegisterBody, TokenBody } from '../http/bodies.js';
import { RegisterReply, TokenReply } from '../http/replies.js';
import { RequestContext, UserView } from '../user.js';
import { defineCommand } from './define.js';

const Context = Type.Object({ context: RequestContext });

export const register = defineCommand('identity', 'register', Type.Composite([RegisterBody, Context]), RegisterReply);

/** Checks the password, records the attempt, and asks the tokens service for a session. */
export const login = defineCommand('identity', 'login', Type.Composite([TokenBody, Context]), TokenReply);

/** The current profile of a user, for `/me` and for refreshed tokens. */
export const getUser = defineCommand('identity', 'getUser', Type.Object({ user_id: Type.Integer({ minimum: 1 }) }), UserView);
