// @ts-check
// The page's calls to the console's server: the long-polled state, and what a person does. The
// server checks each request and turns it into a signed Slack request into the app.
import { toast } from "./dom.js";

/** @typedef {import("../console-state").ConsoleState} ConsoleState */
/** @typedef {{ ok?: boolean, error?: string, errors?: Record<string, string> }} Answer */

/**
 * Sends what a person did; a refusal or an error is shown as a toast (input errors are the caller's to show).
 * @param {string} path
 * @param {object} body
 * @returns {Promise<Answer>}
 */
export async function post(path, body) {
  const response = await fetch(`/console/api/${path}`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) });
  /** @type {Answer} */
  const answer = await response.json().catch(() => ({ ok: false, error: `HTTP ${response.status}` }));
  if (!response.ok || (answer.ok === false && !answer.errors)) toast(answer.error || `The console answered ${response.status}`);
  return answer;
}

/**
 * What `user` sees, once it differs from `since` (the server holds the request until then).
 * @param {string} user
 * @param {number} since
 * @param {AbortSignal} [signal]
 * @returns {Promise<ConsoleState>}
 */
export async function fetchState(user, since, signal) {
  const response = await fetch(`/console/api/state?user=${encodeURIComponent(user)}&since=${since}`, { signal });
  if (!response.ok) throw new Error(`HTTP ${response.status}`);
  return /** @type {ConsoleState} */ (await response.json());
}
