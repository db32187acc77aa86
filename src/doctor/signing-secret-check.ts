// The signing secret: its shape, and what the running app saw of Slack's requests. Slack has no
// API to verify a signing secret, but with a wrong one (often the Client Secret, also 32 hex
// characters) every request Slack sends fails verification; the app counts them per instance
// (store/slack-request-repository.ts) and this reads the counts.
import type { SlackRequestTallyRow } from "../store/slack-request-repository";
import { type CheckResult, failed, ok, skipped } from "./doctor-check";

export const SIGNING_SECRET_CHECK = "Slack: signing secret";
/** refusals older than this no longer fail the check: the secret may have been put right since */
const RECENT_MS = 24 * 3600_000;
const SECRET_FIX = "copy it from api.slack.com/apps → your app → Basic Information → App Credentials → Signing Secret (not the Client Secret, the Verification Token or a token)";
export const CLOCK_FIX = "synchronise the clock (NTP: timedatectl set-ntp true, or the host's time service)";

/** The instances' counts, or why they could not be read. */
export type SlackRequestRecord = { rows: SlackRequestTallyRow[] } | { unread: string };

/** Refusals of one kind since the last request that verified (on any instance), when recent. */
export interface RefusalRun {
  count: number;
  since: Date;
}

export interface SlackRequestSummary {
  verified: number;
  lastVerifiedAt: Date | null;
  /** refused for a signature that does not match, none verified since the first */
  badSignature: RefusalRun | null;
  /** refused as stale (timestamp over 5 minutes old by the app's clock), none verified since the first */
  stale: RefusalRun | null;
  /** bad-signature refusals older than a day, none verified since (the last one's time) */
  oldBadSignatureAt: Date | null;
}

const when = (date: Date): string => date.toISOString().replace(/\.\d{3}Z$/, "Z");
const requests = (n: number): string => `${n} request${n === 1 ? "" : "s"}`;
const were = (n: number): string => (n === 1 ? "was" : "were");

function latest(dates: Array<Date | null>): Date | null {
  return dates.reduce<Date | null>((best, d) => (d && (!best || d > best) ? d : best), null);
}

/** A run of refusals no verified request (on any instance) came after; recent ones only. */
function refusalRun(rows: Array<{ streak: number; since: Date | null; last: Date | null }>, lastVerifiedAt: Date | null, now: number): RefusalRun | null {
  const recent = rows.filter((r) => r.streak > 0 && r.since && r.last && now - r.last.getTime() <= RECENT_MS);
  if (recent.length === 0) return null;
  const since = recent.reduce((first, r) => (r.since && r.since < first ? r.since : first), recent[0]?.since ?? new Date(now));
  if (lastVerifiedAt && lastVerifiedAt >= since) return null;
  return { count: recent.reduce((sum, r) => sum + r.streak, 0), since };
}

export function summariseSlackRequests(rows: SlackRequestTallyRow[], now: number): SlackRequestSummary {
  const lastVerifiedAt = latest(rows.map((r) => r.lastVerifiedAt));
  const badSignature = refusalRun(rows.map((r) => ({ streak: r.badSignatureStreak, since: r.badSignatureStreakSince, last: r.lastBadSignatureAt })), lastVerifiedAt, now);
  const stale = refusalRun(rows.map((r) => ({ streak: r.staleStreak, since: r.staleStreakSince, last: r.lastStaleAt })), lastVerifiedAt, now);
  const lastBad = latest(rows.map((r) => r.lastBadSignatureAt));
  const oldBadSignatureAt = !badSignature && lastBad && (!lastVerifiedAt || lastVerifiedAt < lastBad) ? lastBad : null;
  return { verified: rows.reduce((sum, r) => sum + r.verified, 0), lastVerifiedAt, badSignature, stale, oldBadSignatureAt };
}

/** The Clock check's note on stale refusals, or "" (the two checks name each other). */
export function staleNote(summary: SlackRequestSummary | null): string {
  if (!summary?.stale) return "";
  return `; ${requests(summary.stale.count)} from Slack since ${when(summary.stale.since)} ${were(summary.stale.count)} refused as stale (see ${SIGNING_SECRET_CHECK})`;
}

export function signingSecretCheck(settings: { signingSecret?: string | undefined; appToken?: string | undefined }, record: SlackRequestRecord, now: number): CheckResult {
  const name = SIGNING_SECRET_CHECK;
  if (settings.appToken) return skipped(name, "Socket Mode (SLACK_APP_TOKEN): requests arrive over the socket and are not signed");
  const secret = settings.signingSecret ?? "";
  if (!/^[0-9a-f]{32}$/.test(secret)) {
    const looksLike = /^xox[a-z]-|^xapp-/.test(secret) ? " (it looks like a token)" : "";
    return failed(name, `SLACK_SIGNING_SECRET is not shaped like a Slack signing secret (32 lowercase hex characters)${looksLike}, so every request from Slack would be refused`, SECRET_FIX);
  }
  const shape = "has the shape of a Slack signing secret (32 hex characters)";
  if ("unread" in record) return ok(name, `${shape}; Slack has no API to verify it, and ${record.unread}`);
  const summary = summariseSlackRequests(record.rows, now);
  if (summary.badSignature) {
    const { count, since } = summary.badSignature;
    const before = summary.lastVerifiedAt ? `; the last one that matched was at ${when(summary.lastVerifiedAt)}` : "; none has matched";
    return failed(name, `${requests(count)} to /slack/events since ${when(since)} ${were(count)} refused: their signatures do not match SLACK_SIGNING_SECRET${before}`, `${SECRET_FIX}, then restart the app`);
  }
  if (summary.stale) {
    const { count, since } = summary.stale;
    return failed(
      name,
      `${requests(count)} to /slack/events since ${when(since)} ${were(count)} refused as stale: their timestamps were over 5 minutes old by this machine's clock, so their signatures were never checked (see the Clock check)`,
      `${CLOCK_FIX}; the secret is judged once a request from Slack arrives in time`,
    );
  }
  if (summary.lastVerifiedAt) return ok(name, `matches Slack's: the last request from Slack verified at ${when(summary.lastVerifiedAt)} (${requests(summary.verified)} verified in all)`);
  if (summary.oldBadSignatureAt) {
    return ok(name, `${shape}; no request from Slack in the last 24 h, and the last ones (at ${when(summary.oldBadSignatureAt)}) did not match it: if SLACK_SIGNING_SECRET has not changed since, it is wrong`);
  }
  return ok(name, `${shape}; Slack has no API to verify it, and no request from Slack seen yet to check it against`);
}
