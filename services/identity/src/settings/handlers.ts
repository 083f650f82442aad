import type { identityCommands, Settings } from '@headlesskey/contracts';
import { handleCommand, metaFrom, type SettingsBucket } from '@headlesskey/platform';
import type { Static } from '@sinclair/typebox';
import type { Identity } from '../identity.js';
import { syncSettingsBucket } from './bucket-sync.js';
import { settingsDecider } from './decider.js';
import { readStoredSettings, saveSettings } from './read-model.js';
import { SETTINGS_STREAM } from './settings.js';
import { effectiveSettings } from './values.js';

type ChangeSettingsCommand = Static<typeof identityCommands.changeSettings.request>;

/** `GET /settings`: the stored settings over the defaults, as the store has them now. */
export function getSettingsHandler(app: Identity) {
  return async (): Promise<Settings> => effectiveSettings(await readStoredSettings(app.svc.store.db));
}

/**
 * `PATCH /settings`: decide on the patch, commit the event with the stored values, then write
 * the bucket before answering, so the answer means every service is applying the change.
 */
export function changeSettingsHandler(app: Identity, bucket: SettingsBucket) {
  const { svc } = app;
  return async (cmd: ChangeSettingsCommand): Promise<Settings> => {
    const { state } = await handleCommand({
      store: svc.store,
      scope: svc.scope,
      streamId: SETTINGS_STREAM,
      decider: settingsDecider,
      command: { type: 'ChangeSettings', patch: cmd.settings, actor: cmd.actor },
      meta: metaFrom(cmd.context, cmd.actor.user_id),
      project: async (tx, events, next) => {
        const names = new Set(events.flatMap((event) => event.data.changes.map((change) => change.setting)));
        await saveSettings(tx, [...names], next.values);
      },
    });
    await syncSettingsBucket(svc.store, bucket);
    return effectiveSettings(state.values);
  };
}
