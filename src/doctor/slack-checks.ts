// Slack's side of the set-up: the signing secret (signing-secret-check.ts), the bot token
// (auth.test), its scopes against manifest.yml, the clock against Slack's, the approvals channel
// and the approvers' user group. Raw Web API calls, so the response headers can be read.
import { z } from "zod";
import { type CheckResult, failed, ok, reason, within } from "./doctor-check";
import { CLOCK_FIX, type SlackRequestRecord, type SlackRequestSummary, signingSecretCheck, staleNote, summariseSlackRequests } from "./signing-secret-check";

export interface SlackCheckSettings {
  botToken: string;
  /** HTTP mode; unused in Socket Mode */
  signingSecret?: string | undefined;
  appToken?: string | undefined;
  apiUrl?: string | undefined;
  approvalChannelId: string;
  approverUserIds: string[];
  approverGroupId?: string | undefined;
  operatorUserIds: string[];
}

export interface SlackCheckOptions {
  /** the bot scopes the app needs (manifest.yml's) */
  requiredScopes: () => string[];
  now: () => number;
  timeoutMs: number;
  /** what the app saw of Slack's requests (the signing secret's only evidence) */
  requests: SlackRequestRecord;
}

/** Slack refuses a request whose timestamp is more than five minutes from its own clock. */
export const SIGNATURE_WINDOW_SECONDS = 300;
const SLACK_API = "https://slack.com/api/";
const MANIFEST_FIX = "add the scope under OAuth & Permissions → Bot Token Scopes (or update the app from manifest.yml), then reinstall the app to the workspace";

interface SlackAnswer {
  body: { ok?: boolean; error?: string; needed?: string } & Record<string, unknown>;
  headers: Headers;
}

const answerSchema = z.looseObject({ ok: z.boolean(), error: z.string().optional(), needed: z.string().optional() });

async function callSlack(settings: SlackCheckSettings, method: string, params: Record<string, string>, timeoutMs: number): Promise<SlackAnswer> {
  const base = settings.apiUrl ?? SLACK_API;
  const response = await within(
    timeoutMs,
    fetch(`${base.endsWith("/") ? base : `${base}/`}${method}`, {
      method: "POST",
      headers: { authorization: `Bearer ${settings.botToken}`, "content-type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams(params).toString(),
      signal: AbortSignal.timeout(timeoutMs),
    }),
  );
  const parsed = answerSchema.safeParse(await response.json().catch(() => null));
  if (!parsed.success) throw new Error(`${method} answered HTTP ${response.status} with something that is not Slack's JSON`);
  return { body: parsed.data, headers: response.headers };
}

export async function slackChecks(settings: SlackCheckSettings, options: SlackCheckOptions): Promise<CheckResult[]> {
  const results: CheckResult[] = [signingSecretCheck(settings, options.requests, options.now())];
  const seen = "rows" in options.requests && !settings.appToken ? summariseSlackRequests(options.requests.rows, options.now()) : null;
  const authName = "Slack: bot token (auth.test)";
  let auth: SlackAnswer;
  const sentAt = options.now();
  try {
    auth = await callSlack(settings, "auth.test", {}, options.timeoutMs);
  } catch (error) {
    results.push(failed(authName, `Slack could not be reached: ${reason(error)}`, "check the network path to slack.com (proxy, firewall) or SLACK_API_URL"));
    return results;
  }
  const receivedAt = options.now();
  if (!auth.body.ok) {
    results.push(failed(authName, `Slack refused the token: ${auth.body.error ?? "no reason given"}`, "set SLACK_BOT_TOKEN to the Bot User OAuth Token (xoxb-…) from OAuth & Permissions; reinstall the app if it was revoked"));
    return results;
  }
  results.push(ok(authName, `works: bot user ${String(auth.body.user_id ?? "?")} in team ${String(auth.body.team_id ?? "?")}`));

  const granted = (auth.headers.get("x-oauth-scopes") ?? "").split(",").map((s) => s.trim()).filter(Boolean);
  results.push(scopeCheck(granted, options.requiredScopes));
  results.push(clockCheck(auth.headers.get("date"), sentAt, receivedAt, seen));
  results.push(await channelCheck(settings, granted, options.timeoutMs));
  results.push(await approverCheck(settings, options.timeoutMs));
  results.push(
    ok("Slack: operators", settings.operatorUserIds.length > 0 ? `${settings.operatorUserIds.length} user(s) in OPERATOR_USER_IDS` : "OPERATOR_USER_IDS is empty: every full member of the workspace (no guests, no other organisation) may open cases"),
  );
  return results;
}

function scopeCheck(granted: string[], requiredScopes: () => string[]): CheckResult {
  const name = "Slack: bot scopes";
  let required: string[];
  try {
    required = requiredScopes();
  } catch (error) {
    return failed(name, `the scopes the app needs could not be read: ${reason(error)}`, "keep manifest.yml next to package.json (the image copies it)");
  }
  if (granted.length === 0) return failed(name, "Slack's answer did not list the token's scopes (x-oauth-scopes)", "make sure SLACK_BOT_TOKEN is a bot token (xoxb-…) issued by Slack");
  const missing = required.filter((scope) => !granted.includes(scope));
  if (missing.length > 0) return failed(name, `the token lacks ${missing.join(", ")} (manifest.yml asks for ${required.join(", ")})`, MANIFEST_FIX);
  return ok(name, `cover manifest.yml's ${required.join(", ")}`);
}

function clockCheck(dateHeader: string | null, sentAt: number, receivedAt: number, seen: SlackRequestSummary | null): CheckResult {
  const name = "Clock";
  const slackTime = dateHeader ? Date.parse(dateHeader) : NaN;
  if (Number.isNaN(slackTime)) return failed(name, "Slack's answer carried no readable Date header to compare with", "check that nothing between the app and Slack strips headers");
  // the Date header has whole seconds; the local time is the middle of the round trip
  const skew = Math.round(((sentAt + receivedAt) / 2 - slackTime) / 1000);
  const inWindow = Math.abs(skew) < SIGNATURE_WINDOW_SECONDS;
  const words = `${Math.abs(skew)} s ${skew >= 0 ? "ahead of" : "behind"} Slack's`;
  if (!inWindow) return failed(name, `this machine's clock is ${words}; Slack's request signatures are refused beyond 5 minutes${staleNote(seen)}`, CLOCK_FIX);
  return ok(name, `${words}, within Slack's 5-minute signature window${staleNote(seen)}`);
}

async function channelCheck(settings: SlackCheckSettings, granted: string[], timeoutMs: number): Promise<CheckResult> {
  const name = `Slack: approvals channel ${settings.approvalChannelId}`;
  let answer: SlackAnswer;
  try {
    answer = await callSlack(settings, "conversations.info", { channel: settings.approvalChannelId }, timeoutMs);
  } catch (error) {
    return failed(name, `could not be checked: ${reason(error)}`, "check the network path to Slack and run the doctor again");
  }
  if (!answer.body.ok) {
    if (answer.body.error === "missing_scope") return failed(name, `could not be checked: the token lacks ${answer.body.needed ?? "channels:read / groups:read"}`, MANIFEST_FIX);
    return failed(
      name,
      `Slack says ${answer.body.error ?? "no"}: APPROVAL_CHANNEL_ID names no channel the bot can see`,
      "set APPROVAL_CHANNEL_ID to the channel's id (channel details → bottom, e.g. C0123ABCD); for a private channel, invite the bot first (/invite @offboarding)",
    );
  }
  const channel = z.looseObject({ name: z.string().optional(), is_member: z.boolean().optional(), is_private: z.boolean().optional(), is_archived: z.boolean().optional() }).safeParse(answer.body.channel);
  if (!channel.success) return failed(name, "Slack's answer about the channel could not be read", "run the doctor again; if it persists, report it");
  const label = `#${channel.data.name ?? settings.approvalChannelId}`;
  if (channel.data.is_archived) return failed(name, `${label} is archived: nothing can be posted there`, "unarchive it, or set APPROVAL_CHANNEL_ID to another channel");
  if (channel.data.is_member) return ok(name, `the bot is a member of ${label} and can post there`);
  if (!channel.data.is_private && granted.includes("chat:write.public")) return ok(name, `${label} is public and the token has chat:write.public, so the bot can post without being a member`);
  return failed(name, `the bot is not a member of ${label}, so approval requests cannot be posted there`, `invite the bot: type /invite @offboarding in ${label}`);
}

async function approverCheck(settings: SlackCheckSettings, timeoutMs: number): Promise<CheckResult> {
  const name = "Slack: approvers";
  const direct = settings.approverUserIds.length;
  if (!settings.approverGroupId) {
    if (direct > 0) return ok(name, `${direct} user(s) in APPROVER_USER_IDS`);
    return failed(name, "nobody can approve a removal: APPROVER_USER_IDS and APPROVER_USERGROUP_ID are both empty", "set APPROVER_USER_IDS (user ids, comma-separated) or APPROVER_USERGROUP_ID (a user group's id, S…)");
  }
  let answer: SlackAnswer;
  try {
    answer = await callSlack(settings, "usergroups.users.list", { usergroup: settings.approverGroupId }, timeoutMs);
  } catch (error) {
    return failed(name, `the group could not be read: ${reason(error)}`, "check the network path to Slack and run the doctor again");
  }
  if (!answer.body.ok) {
    if (answer.body.error === "missing_scope") return failed(name, `the group could not be read: the token lacks ${answer.body.needed ?? "usergroups:read"}`, MANIFEST_FIX);
    return failed(name, `APPROVER_USERGROUP_ID ${settings.approverGroupId} could not be read: ${answer.body.error ?? "no reason given"}`, "set APPROVER_USERGROUP_ID to the user group's id (S…), from the group's page or usergroups.list");
  }
  const users = z.array(z.string()).safeParse(answer.body.users);
  const members = users.success ? users.data.length : 0;
  if (members + direct === 0) return failed(name, `user group ${settings.approverGroupId} has no members and APPROVER_USER_IDS is empty: nobody can approve`, "add approvers to the user group, or set APPROVER_USER_IDS");
  return ok(name, `user group ${settings.approverGroupId} resolves to ${members} member(s)${direct > 0 ? `, plus ${direct} in APPROVER_USER_IDS` : ""}`);
}
