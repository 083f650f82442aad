import { type FormEvent, useEffect, useRef, useState } from 'react';
import { ApiError } from '../api/api.js';
import { useSaveSettings, useSettings } from '../settings/queries.js';
import { DataTable } from '../ui/DataTable.js';
import { useFocusOnProblem, useUnsavedChanges } from '../ui/form-hooks.js';
import { type AccessTable, AccessTableContext, COLUMNS, ROWS } from './columns.js';
import { type AccessRule, accessPatch, BUILT_IN_ROLES, problemsByRoute, ROUTE_DEFAULTS, type RuleDraft, toDraft } from './rules.js';
import './access.css';

type Policy = Record<string, AccessRule>;
const NONE: Policy = {};
const draftsOf = (inForce: Policy) =>
  Object.fromEntries(ROWS.map(({ route }) => [route, toDraft(inForce[route] ?? ROUTE_DEFAULTS[route]!)]));

/** Who may call each route: the `access` member of `GET /settings`, narrowed with `PATCH /settings`. */
export function AccessScreen() {
  const settings = useSettings();
  if (settings.isPending) return <p>Loading the access policy…</p>;
  if (settings.isError) return <p className="error">The access policy could not be read: {settings.error.message}</p>;
  const custom = (settings.data.custom_roles as string[] | undefined) ?? [];
  return <AccessForm inForce={(settings.data.access as Policy | undefined) ?? NONE} knownRoles={[...BUILT_IN_ROLES, ...custom]} />;
}

function AccessForm({ inForce, knownRoles }: { inForce: Policy; knownRoles: string[] }) {
  const save = useSaveSettings();
  const [drafts, setDrafts] = useState<Record<string, RuleDraft>>(() => draftsOf(inForce));
  const [saved, setSaved] = useState(false);
  // After a save, the rows show what the API answered is in force.
  useEffect(() => setDrafts(draftsOf(inForce)), [inForce]);
  const patch = accessPatch(inForce, drafts);
  const dirty = Object.keys(patch).length > 0;
  useUnsavedChanges(dirty);
  const formRef = useRef<HTMLFormElement>(null);
  useFocusOnProblem(formRef, save.error);

  const refused = save.error instanceof ApiError && save.error.code === 'rest_invalid_param';
  const problems = refused ? problemsByRoute((save.error as ApiError).params) : {};
  const general = save.error && !refused ? save.error.message : problems[''];

  const table: AccessTable = {
    inForce,
    drafts,
    knownRoles,
    problems,
    change(route, draft) {
      setSaved(false);
      setDrafts((current) => ({ ...current, [route]: draft }));
    },
  };

  async function submit(event: FormEvent) {
    event.preventDefault();
    await save.mutateAsync({ access: patch }).then(
      () => setSaved(true),
      () => setSaved(false),
    );
  }

  return (
    <form onSubmit={submit} noValidate ref={formRef} className="access">
      <h1>Access</h1>
      <p>
        Who may call each route. A route can be narrowed, never opened beyond its default: an administrator's route stays an
        administrator's.
      </p>
      <AccessTableContext.Provider value={table}>
        <DataTable caption="Access to each route" columns={COLUMNS} rows={ROWS} rowKey={(row) => row.id} empty="No routes." />
      </AccessTableContext.Provider>
      <div className="actions" aria-live="polite">
        <button type="submit" disabled={!dirty || save.isPending}>
          {save.isPending ? 'Saving…' : 'Save access'}
        </button>
        {Object.keys(problems).some(Boolean) && <p className="error">The access policy was not saved: see the routes marked.</p>}
        {general && <p className="error">{general}</p>}
        {saved && !dirty && <p className="ok">Saved. These are the rules in force.</p>}
        {dirty && <p>Unsaved changes to {Object.keys(patch).length} route(s).</p>}
      </div>
    </form>
  );
}

export default AccessScreen;
