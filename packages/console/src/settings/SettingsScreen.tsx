import { type FormEvent, useEffect, useRef, useState } from 'react';
import { ApiError } from '../api/api.js';
import { useFocusOnProblem, useUnsavedChanges } from '../ui/form-hooks.js';
import { Field } from './Field.js';
import { type Draft, problemsBySetting, type SettingsValues, toDraft, toPatch } from './form.js';
import { HooksField } from './HooksField.js';
import { useSaveSettings, useSettings } from './queries.js';
import { GROUPS, SCHEMA } from './schema.js';

/** The plugin's General Settings: every setting of `GET /settings`, grouped, saved with `PATCH /settings`. */
export function SettingsScreen() {
  const settings = useSettings();
  if (settings.isPending) return <p>Loading the settings…</p>;
  if (settings.isError) return <p className="error">The settings could not be read: {settings.error.message}</p>;
  return <SettingsForm loaded={settings.data} />;
}

function SettingsForm({ loaded }: { loaded: SettingsValues }) {
  const save = useSaveSettings();
  const [draft, setDraft] = useState<Draft>(() => toDraft(loaded));
  const [saved, setSaved] = useState(false);
  // After a save, the form shows the values the API answered, not the ones typed.
  useEffect(() => setDraft(toDraft(loaded)), [loaded]);
  const patch = toPatch(loaded, draft);
  const formRef = useRef<HTMLFormElement>(null);
  useFocusOnProblem(formRef, save.error);
  const dirty = Object.keys(patch).length > 0;
  useUnsavedChanges(dirty);

  const problems = save.error instanceof ApiError && save.error.code === 'rest_invalid_param' ? problemsBySetting(save.error.params) : {};
  const general =
    save.error && !(save.error instanceof ApiError && save.error.code === 'rest_invalid_param')
      ? save.error.message
      : problems['']?.join(' ');
  const change = (name: string) => (value: unknown) => {
    setSaved(false);
    setDraft((current) => ({ ...current, [name]: value }));
  };
  async function submit(event: FormEvent) {
    event.preventDefault();
    await save.mutateAsync(patch).then(
      () => setSaved(true),
      () => setSaved(false),
    );
  }

  return (
    // The API owns the rules: the browser's own checks would only repeat them, less exactly.
    <form onSubmit={submit} noValidate ref={formRef}>
      <h1>General settings</h1>
      {GROUPS.map((group) => (
        <fieldset key={group.title} className="group">
          <legend>{group.title}</legend>
          {group.names.map((name) =>
            name === 'hooks' ? (
              <HooksField
                key={name}
                schema={SCHEMA.hooks!}
                value={draft.hooks as never}
                problems={problems.hooks}
                onChange={change('hooks')}
              />
            ) : (
              <Field key={name} name={name} schema={SCHEMA[name]!} value={draft[name]} problems={problems[name]} onChange={change(name)} />
            ),
          )}
        </fieldset>
      ))}
      <div className="actions" aria-live="polite">
        <button type="submit" disabled={!dirty || save.isPending}>
          {save.isPending ? 'Saving…' : 'Save changes'}
        </button>
        {Object.keys(problems).length > 0 && <p className="error">The settings were not saved: see the fields marked.</p>}
        {general && <p className="error">{general}</p>}
        {saved && !dirty && <p className="ok">Saved. These are the values in force.</p>}
        {dirty && <p>Unsaved changes.</p>}
      </div>
    </form>
  );
}

export default SettingsScreen;
