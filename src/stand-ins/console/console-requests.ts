// What the console page may send, checked with zod before anything reaches the app. The page is
// trusted no more than Slack's clients are: a button must exist on the surface it names.
import { z } from "zod";
import { CONSOLE_USERS } from "./console-identities";

const userId = z.enum(CONSOLE_USERS.map((user) => user.id) as [string, ...string[]]);
// a channel, or the app's direct message with the person (D…)
const channelId = z.string().regex(/^[CD][A-Z0-9]{2,20}$/, "not a channel id");

export const commandRequest = z.object({
  user: userId,
  channel: channelId,
  // only our command exists in the console; the rest of the line is the app's to judge
  text: z.string().max(500).regex(/^\/offboard(\s|$)/, "only /offboard is installed here"),
});

export const surface = z.discriminatedUnion("kind", [
  z.object({ kind: z.literal("message"), channel: channelId, ts: z.string().regex(/^\d+\.\d+$/) }),
  z.object({ kind: z.literal("ephemeral"), id: z.uuid() }),
  z.object({ kind: z.literal("home") }),
]);

export const actionRequest = z.object({
  user: userId,
  surface,
  actionId: z.string().min(1).max(255),
  value: z.string().max(2000),
  /** the surface's boxes as the person left them: action_id → ticked */
  ticks: z.record(z.string().max(255), z.boolean()).default({}),
});

export const viewSubmissionRequest = z.object({
  user: userId,
  modalId: z.string().regex(/^M\d+$/),
  /** block_id → the text typed into that block's input */
  values: z.record(z.string().max(255), z.string().max(3000)),
});

export const modalCloseRequest = z.object({ user: userId, modalId: z.string().regex(/^M\d+$/) });

export const homeOpenedRequest = z.object({ user: userId });

export const stateQuery = z.object({
  user: userId,
  since: z.coerce.number().int().min(-1).default(-1),
});

/** What Bolt answers a view_submission with when the listener acks with errors. */
export const viewSubmissionAck = z.object({
  response_action: z.enum(["errors", "clear", "update", "push"]),
  errors: z.record(z.string(), z.string()).optional(),
});

/** The parts of Block Kit the console looks into: buttons (to check a press) and inputs (to submit). */
export const buttonElement = z.object({ type: z.literal("button"), action_id: z.string(), value: z.string().optional() });
export const blockWithButtons = z.object({ accessory: z.unknown().optional(), elements: z.array(z.unknown()).optional() });
export const checkboxesElement = z.object({ type: z.literal("checkboxes"), action_id: z.string() });
export const publishedView = z.object({ blocks: z.array(z.unknown()).default([]) });
export const inputBlock = z.object({
  type: z.literal("input"),
  block_id: z.string(),
  element: z.object({ type: z.string(), action_id: z.string() }),
});
export const openedView = z.object({
  type: z.literal("modal"),
  callback_id: z.string(),
  private_metadata: z.string().default(""),
  blocks: z.array(z.unknown()),
});
