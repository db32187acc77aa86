// Slack re-sends a request it thinks went unanswered, marked with X-Slack-Retry-Num. Every
// request's key (event_id for events, trigger_id for commands and interactions) is remembered in
// the database, so a retry of something already handled — by this instance or another — is
// acknowledged and dropped instead of being done twice.
import type { AnyMiddlewareArgs, Middleware } from "@slack/bolt";
import { z } from "zod";
import type { Logger } from "../logger";

export interface RequestKeys {
  firstTime(key: string): Promise<boolean>;
}

const keyedBody = z.object({
  event_id: z.string().min(1).optional(),
  trigger_id: z.string().min(1).optional(),
});

/** The key that identifies one request from Slack across its retries, or null when it has none. */
export function slackRequestKey(body: unknown): string | null {
  const parsed = keyedBody.safeParse(body);
  if (!parsed.success) return null;
  if (parsed.data.event_id) return `slack:event:${parsed.data.event_id}`;
  if (parsed.data.trigger_id) return `slack:trigger:${parsed.data.trigger_id}`;
  return null;
}

export function dropHandledRetries(keys: RequestKeys, logger: Logger): Middleware<AnyMiddlewareArgs> {
  return async (args) => {
    const key = slackRequestKey(args.body);
    const retryNum = args.context.retryNum;
    if (retryNum === undefined) {
      // a first delivery is handled at once and its key recorded alongside: a database write must
      // not stand between Slack and its acknowledgement. Slack retries only after ~3 s, by which
      // time the key is long written.
      if (key) void keys.firstTime(key).catch((error: unknown) => logger.warn({ key, err: String(error) }, "could not record a Slack request key"));
      await args.next();
      return;
    }
    // a retry: handle it only if the original never arrived (its key is not recorded)
    const first = key ? await keys.firstTime(key) : true;
    if (first) {
      await args.next();
      return;
    }
    logger.info({ key, retryNum, retryReason: args.context.retryReason }, "dropped a Slack retry of a request already handled");
    // events are acknowledged by Bolt itself; commands and interactions need their ack
    if ("ack" in args && typeof args.ack === "function") await args.ack();
  };
}
