import { identityCommands, ResendVerificationBody, VerifyEmailBody } from '@headlesskey/contracts';
import { defineRoute, type RouteGroup } from './route.js';

/** Proving an email address (the `email_verification` setting): the mailed key or code, and another mail. */
export const emailVerificationRoutes: RouteGroup = {
  name: 'email-verification',
  routes: [
    defineRoute({
      method: 'POST',
      url: '/verify-email',
      idempotent: true,
      rateLimit: 'public',
      summary: 'Confirm an email address with a mailed key or code',
      description: 'Send the key as `token` or the code as `otp`.',
      body: VerifyEmailBody,
      response: identityCommands.verifyEmail.reply,
      errors: ['headlesskey_invalid_verification'],
      handle: ({ body, request, bus }) => bus.send(identityCommands.verifyEmail, { ...body, context: request.requestContext }),
    }),
    defineRoute({
      method: 'POST',
      url: '/verify-email/resend',
      idempotent: true,
      rateLimit: 'public',
      summary: 'Mail the email confirmation again',
      description: 'A link (`link`, the default) or a 6-digit code (`otp`); the answer is the same for unknown or confirmed logins.',
      body: ResendVerificationBody,
      response: identityCommands.resendVerification.reply,
      handle: ({ body, request, bus }) => bus.send(identityCommands.resendVerification, { ...body, context: request.requestContext }),
    }),
  ],
};
