import { ApiError } from '../api/api.js';

/**
 * A refused form's problems by field, from the API's `params` (`rest_invalid_param`: field →
 * message; `rest_missing_callback_param`: the missing names). Anything not tied to a field, under
 * `''`: the API's own message.
 */
export function fieldProblems(error: unknown, fields: readonly string[]): Record<string, string> {
  if (!error) return {};
  if (!(error instanceof ApiError)) return { '': error instanceof Error ? error.message : String(error) };
  const params = error.params;
  const entries: [string, string][] = Array.isArray(params)
    ? params.map((name) => [String(name), `${name} is required.`])
    : params && typeof params === 'object'
      ? Object.entries(params).map(([name, message]) => [name, String(message)])
      : [];
  const problems: Record<string, string> = {};
  for (const [name, message] of entries) {
    const owner = fields.includes(name) ? name : '';
    problems[owner] = problems[owner] ? `${problems[owner]} ${message}` : message;
  }
  if (Object.keys(problems).length === 0) problems[''] = error.message;
  return problems;
}
