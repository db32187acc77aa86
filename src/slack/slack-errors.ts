// Reading Slack's answers: the error code a failed Web API call carries, and which codes mean
// "the bot cannot post there" (so another place is tried) rather than "something broke".
import { z } from "zod";

const platformError = z.object({ data: z.object({ error: z.string() }) });

/** Slack's error code (`not_in_channel`, `invalid_blocks`, …), or null for a network or other failure. */
export function slackErrorCode(error: unknown): string | null {
  const parsed = platformError.safeParse(error);
  return parsed.success ? parsed.data.data.error : null;
}

/** Codes that say the bot may not post in that conversation; another place may work. */
const CANNOT_POST_THERE = new Set([
  "not_in_channel",
  "channel_not_found",
  "is_archived",
  "restricted_action",
  "restricted_action_read_only_channel",
  "restricted_action_non_threadable_channel",
  "restricted_action_thread_only_channel",
  "ekm_access_denied",
  "cannot_reply_to_message",
  "missing_scope",
]);

export function cannotPostThere(error: unknown): boolean {
  const code = slackErrorCode(error);
  return code !== null && CANNOT_POST_THERE.has(code);
}

/** A failure in words for logs and for people: Slack's code where there is one. */
export function describeSlackError(error: unknown): string {
  return slackErrorCode(error) ?? (error instanceof Error ? error.message : String(error));
}
