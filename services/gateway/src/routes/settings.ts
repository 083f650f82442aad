import { identityCommands, SettingsPatch, settingRuleProblems } from '@headlesskey/contracts';
import { actorOf } from '../plugins/access.js';
import { defineRoute, type RouteGroup } from './route.js';

/** The live settings, for administrators: identity keeps them, every service applies them at once. */
export const settingsRoutes: RouteGroup = {
  name: 'settings',
  routes: [
    defineRoute({
      method: 'GET',
      url: '/settings',
      summary: 'The settings in force',
      response: identityCommands.getSettings.reply,
      handle: ({ bus }) => bus.send(identityCommands.getSettings, {}),
    }),
    defineRoute({
      method: 'PATCH',
      url: '/settings',
      idempotent: true,
      summary: 'Change settings: all of the patch or none of it; every replica applies it live',
      body: SettingsPatch,
      rules: settingRuleProblems,
      response: identityCommands.changeSettings.reply,
      handle: ({ body, caller, request, bus }) =>
        bus.send(identityCommands.changeSettings, {
          settings: body,
          actor: actorOf(caller!),
          context: request.requestContext,
        }),
    }),
  ],
};
