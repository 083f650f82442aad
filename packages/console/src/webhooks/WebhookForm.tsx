import { type FormEvent, useId, useRef, useState } from 'react';
import { fieldProblems } from '../ui/field-problems.js';
import { useFocusOnProblem, useUnsavedChanges } from '../ui/form-hooks.js';
import { TextField } from '../ui/TextField.js';
import type { Webhook, WebhookInput } from './queries.js';

/** Put in by the build (vite.config.ts) from `@headlesskey/contracts`' EVENT_TYPES, the catalog's one owner. */
declare const __EVENT_TYPES__: readonly string[];
const EVENT_TYPES: readonly string[] = __EVENT_TYPES__;
const ALL = '*';
const FIELDS = ['url', 'description', 'events', 'enabled'];

interface Draft {
  url: string;
  description: string;
  all: boolean;
  events: string[];
  enabled: boolean;
}
const draftOf = (w: Webhook | undefined): Draft => ({
  url: w?.url ?? '',
  description: w?.description ?? '',
  all: !w || w.events.includes(ALL),
  events: w?.events.filter((type) => type !== ALL) ?? [],
  enabled: w?.enabled ?? true,
});
const inputOf = (d: Draft): WebhookInput => ({
  url: d.url.trim(),
  description: d.description,
  events: d.all ? [ALL] : d.events,
  enabled: d.enabled,
});

/**
 * A webhook's URL, description, event types and switch, for adding one (no `webhook`) or changing
 * it. The API checks everything (an http(s) URL to a public address, known event types); its
 * refusals are shown next to their fields.
 */
export function WebhookForm({
  webhook,
  submitLabel,
  pending,
  error,
  onSubmit,
}: {
  webhook?: Webhook;
  submitLabel: string;
  pending: boolean;
  error: unknown;
  onSubmit(input: WebhookInput): Promise<unknown>;
}) {
  const id = useId();
  const form = useRef<HTMLFormElement>(null);
  const [draft, setDraft] = useState(() => draftOf(webhook));
  const dirty = JSON.stringify(draft) !== JSON.stringify(draftOf(webhook));
  const problems = fieldProblems(error, FIELDS);
  useUnsavedChanges(dirty);
  useFocusOnProblem(form, error);
  const set = (patch: Partial<Draft>) => setDraft((current) => ({ ...current, ...patch }));
  const toggle = (type: string, on: boolean) =>
    set({ events: on ? [...draft.events, type].sort() : draft.events.filter((t) => t !== type) });

  async function submit(event: FormEvent) {
    event.preventDefault();
    await onSubmit(inputOf(draft)).catch(() => undefined);
  }

  return (
    <form ref={form} onSubmit={submit} noValidate className="webhook-form">
      <TextField
        id={`${id}-url`}
        label="Endpoint URL"
        value={draft.url}
        onChange={(url) => set({ url })}
        help="An http(s) URL whose every address is public. Deliveries are POSTed there, signed (Standard Webhooks)."
        problem={problems.url}
        required
      />
      <TextField
        id={`${id}-description`}
        label="Description"
        value={draft.description}
        onChange={(description) => set({ description })}
        help="What it is for, for the people who manage it."
        problem={problems.description}
      />
      <fieldset className="events" aria-describedby={problems.events ? `${id}-events-error` : undefined}>
        <legend>Event types</legend>
        <label className="check">
          <input type="checkbox" checked={draft.all} onChange={(e) => set({ all: e.target.checked })} /> All event types, present and future
        </label>
        <div className="event-list">
          {EVENT_TYPES.map((type) => (
            <label key={type} className="check">
              <input
                type="checkbox"
                disabled={draft.all}
                checked={draft.all || draft.events.includes(type)}
                onChange={(e) => toggle(type, e.target.checked)}
              />{' '}
              <code>{type}</code>
            </label>
          ))}
        </div>
        {problems.events && (
          <p id={`${id}-events-error`} className="error">
            {problems.events}
          </p>
        )}
      </fieldset>
      <label className="check">
        <input type="checkbox" checked={draft.enabled} onChange={(e) => set({ enabled: e.target.checked })} /> Enabled (deliveries are sent)
      </label>
      {problems.enabled && <p className="error">{problems.enabled}</p>}
      <div className="form-actions" aria-live="polite">
        <button type="submit" disabled={pending || (webhook !== undefined && !dirty)}>
          {pending ? 'Saving…' : submitLabel}
        </button>
        {problems[''] && <p className="error">{problems['']}</p>}
        {!problems[''] && error ? <p className="error">Not saved: see the fields marked.</p> : null}
      </div>
    </form>
  );
}
