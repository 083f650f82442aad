import { identityCommands, RegisterBody } from '@headlesskey/contracts';
import { defineRoute, type RouteGroup } from './route.js';

/** Self-service registration (a setting can turn it off; identity answers that). */
export const registrationRoutes: RouteGroup = {
  name: 'register',
  routes: [
    defineRoute({
      method: 'POST',
      url: '/register',
      idempotent: true,
      rateLimit: 'public',
      summary: 'Register an account',
      description:
        'Creates a subscriber and logs them in. Refused when registration is off in settings, or by a `register.validate` hook (403 with its message).',
      body: RegisterBody,
      response: identityCommands.register.reply,
      errors: ['headlesskey_user_exists', 'headlesskey_weak_password', 'headlesskey_registration_disabled', 'headlesskey_forbidden'],
      status: 201,
      handle: ({ body, request, bus }) => bus.send(identityCommands.register, { ...body, context: request.requestContext }),
    }),
  ],
};
