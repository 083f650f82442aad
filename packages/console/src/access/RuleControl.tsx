import { KIND_LABELS, type Kind, type RuleDraft } from './rules.js';

interface RuleControlProps {
  /** Unique and safe as an id (a route key holds spaces and braces). */
  id: string;
  route: string;
  draft: RuleDraft;
  kinds: readonly Kind[];
  roles: readonly string[];
  problem: string | undefined;
  onChange(draft: RuleDraft): void;
}

/**
 * One route's access: a kind among those that narrow its default, and for a list of roles a box
 * per role it may hold. What the API says of the row is shown under it and tied to the control.
 */
export function RuleControl({ id, route, draft, kinds, roles, problem, onChange }: RuleControlProps) {
  const errorId = `${id}-error`;
  const invalid = problem ? true : undefined;
  const pick = (kind: Kind) =>
    // Changing to a list starts from the first role offered: an empty list is never a rule.
    onChange({ kind, roles: kind === 'roles' && draft.roles.length === 0 ? roles.slice(0, 1) : draft.roles });
  const toggle = (role: string, on: boolean) =>
    onChange({ ...draft, roles: on ? [...draft.roles, role] : draft.roles.filter((r) => r !== role) });
  // A role the rule holds but the offer lacks (a custom role since removed) stays to be unticked.
  const boxes = [...roles, ...draft.roles.filter((role) => !roles.includes(role))];
  return (
    <div className="rule">
      <select
        id={id}
        aria-label={`Who may call ${route}`}
        aria-invalid={invalid}
        aria-describedby={problem ? errorId : undefined}
        value={draft.kind}
        onChange={(e) => pick(e.target.value as Kind)}
      >
        {kinds.map((kind) => (
          <option key={kind} value={kind}>
            {KIND_LABELS[kind]}
          </option>
        ))}
      </select>
      {draft.kind === 'roles' && (
        <fieldset className="roles">
          <legend className="visually-hidden">Roles that may call {route}</legend>
          {boxes.map((role) => (
            <label key={role} className="role">
              <input
                type="checkbox"
                checked={draft.roles.includes(role)}
                aria-invalid={invalid}
                onChange={(e) => toggle(role, e.target.checked)}
              />
              {role}
            </label>
          ))}
        </fieldset>
      )}
      {problem && (
        <p id={errorId} className="error">
          {problem}
        </p>
      )}
    </div>
  );
}
