import { ChangePasswordBody, ForgotPasswordBody, identityCommands, ResetPasswordBody, UserIdPath } from '@headlesskey/contracts';
import { defineRoute, type RouteGroup } from './route.js';

/** Forgot, reset and change password, and an administrator's unlock of a locked-out account. */
export const passwordRoutes: RouteGroup = {
  name: 'passwords',
  routes: [
    defineRoute({
      method: 'POST',
      url: '/forgot-password',
      idempotent: true,
      rateLimit: 'public',
      summary: 'Request a password reset',
      description: 'Mails a one-time link (`link`) or a 6-digit code (`otp`); the answer is the same for unknown logins.',
      body: ForgotPasswordBody,
      response: identityCommands.forgotPassword.reply,
      handle: ({ body, request, bus }) => bus.send(identityCommands.forgotPassword, { ...body, context: request.requestContext }),
    }),
    defineRoute({
      method: 'POST',
      url: '/reset-password',
      idempotent: true,
      summary: 'Reset a password with a mailed key or code',
      description: 'Send the key as `token` or the code as `otp`. Ends every session of the user.',
      body: ResetPasswordBody,
      response: identityCommands.resetPassword.reply,
      errors: ['headlesskey_invalid_reset', 'headlesskey_weak_password'],
      handle: ({ body, request, bus }) => bus.send(identityCommands.resetPassword, { ...body, context: request.requestContext }),
    }),
    defineRoute({
      method: 'POST',
      url: '/change-password',
      idempotent: true,
      summary: "Change the caller's password",
      description: 'Ends every session of the caller.',
      body: ChangePasswordBody,
      response: identityCommands.changePassword.reply,
      errors: ['headlesskey_incorrect_password', 'headlesskey_weak_password'],
      handle: ({ body, caller, request, bus }) =>
        bus.send(identityCommands.changePassword, { ...body, user_id: caller!.userId, context: request.requestContext }),
    }),
    defineRoute({
      method: 'POST',
      url: '/users/:id/unlock',
      idempotent: true,
      summary: "Lift a user's lockout",
      params: UserIdPath,
      response: identityCommands.unlockUser.reply,
      handle: ({ params, request, bus }) =>
        bus.send(identityCommands.unlockUser, { user_id: Number(params.id), context: request.requestContext }),
    }),
  ],
};
