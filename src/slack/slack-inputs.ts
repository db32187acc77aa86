// Everything that comes in from Slack is parsed here with zod before a use case sees it:
// the slash-command text and the values carried by buttons and modals. Values are strict
// objects: a key we never put there means a hand-made payload, refused.
import { z } from "zod";

export const ACTIONS = {
  pickCustomer: "pick_customer",
  suspendSubscription: "suspend_subscription",
  cancelSubscription: "cancel_subscription",
  turnOffAutoRenew: "turn_off_auto_renew",
  suspendPlan: "suspend_plan",
  cancelSoftware: "cancel_software",
  suspendAll: "suspend_all",
  retryFailed: "retry_failed",
  recheck: "recheck",
  requestRemoval: "request_removal",
  cancelCase: "cancel_case",
  withdrawRequest: "withdraw_request",
  approve: "approve",
  reject: "reject",
  retryRemoval: "retry_removal",
  retryGdap: "retry_gdap",
  /** an admin's Home: run the set-up checks again */
  rerunSetupChecks: "rerun_setup_checks",
  requestBatch: "request_batch",
  approveBatch: "approve_batch",
  takeOutBatch: "take_out_batch",
  rejectBatch: "reject_batch",
  /** the approval message's "also end GDAP relationships" box; read from the Approve press's state */
  endGdapChoice: "end_gdap_choice",
} as const;

/** The block holding the GDAP choice on an approval message. */
export const GDAP_CHOICE_BLOCK = "gdap_choice";
export const END_GDAP_VALUE = "end_gdap";
/**
 * Slack wants every action_id in a message or view to be different, so a button repeated down a
 * message (Suspend on each subscription) carries a number after a dot; the action is the part before.
 */
export function numbered(actionId: string, n: number): string {
  return `${actionId}.${n}`;
}

export function actionOf(actionId: string): string {
  return actionId.split(".", 1)[0] ?? actionId;
}

/** The number a repeated button carries (3 for suspend_subscription.3), or undefined for one that carries none. */
export function numberOf(actionId: string): number | undefined {
  const match = /\.(\d{1,3})$/.exec(actionId);
  return match ? Number(match[1]) : undefined;
}

export const REJECT_MODAL = "reject_reason";
export const REJECT_REASON_BLOCK = "reason_block";
export const REJECT_REASON_INPUT = "reason";
export const REQUEST_MODAL = "request_removal";
export const JUSTIFICATION_BLOCK = "justification_block";
export const JUSTIFICATION_INPUT = "justification";
export const BATCH_MODAL = "batch_request";
export const BATCH_TAKE_OUT_MODAL = "batch_take_out";
export const BATCH_REJECT_MODAL = "batch_reject";
export const BATCH_CUSTOMERS_BLOCK = "batch_customers_block";
export const BATCH_CUSTOMERS_INPUT = "batch_customers";

const id = z.string().trim().min(1).max(100).regex(/^[A-Za-z0-9._:-]+$/, "unexpected characters");

/** A request's time in milliseconds, named by the buttons on its approval card. */
const stamp = z.string().regex(/^\d{1,15}$/, "not a request stamp");

/** Button values are small JSON objects; anything else is a hand-made payload and is refused. */
export const caseValue = z.strictObject({ c: z.uuid() });
export const itemValue = z.strictObject({ c: z.uuid(), i: id });
export const jobValue = z.strictObject({ c: z.uuid(), j: z.uuid() });
export const customerValue = z.strictObject({ t: id });
/** a button that carries nothing but itself (Run checks again) */
export const emptyValue = z.strictObject({});
/** a decision on (or withdrawal of) one request: the case and the request's time */
export const requestValue = z.strictObject({ c: z.uuid(), r: stamp });

/** a batch request's buttons and modals name the batch */
export const batchValue = z.strictObject({ b: z.uuid() });
/** Request batch removal… carries nothing: the latest scan is read when it is worked */
export const noValue = z.strictObject({});

const selectState = z.object({ type: z.literal("multi_static_select"), selected_options: z.array(z.object({ value: id })).max(100) });

/** The values chosen in a modal's multi-select, or null when its state is not what Slack sends. */
export function readSelected(values: unknown, block: string, input: string): string[] | null {
  const parsed = z.record(z.string(), z.record(z.string(), z.unknown())).safeParse(values);
  if (!parsed.success) return null;
  const chosen = selectState.safeParse(parsed.data[block]?.[input]);
  return chosen.success ? chosen.data.selected_options.map((o) => o.value) : null;
}

export function requestStamp(requestedAt: Date | null): string {
  return String(requestedAt?.getTime() ?? 0);
}

export function stampDate(stampText: string): Date {
  return new Date(Number(stampText));
}

const checkboxState = z.object({ type: z.literal("checkboxes"), selected_options: z.array(z.object({ value: z.string() })) });

/**
 * The GDAP choice as the approver left it next to the Approve they pressed: the approval
 * message's one box, or on the Home tab the box numbered as that Approve is (`n`). True
 * (ticked), false (unticked), undefined when the press came from where there is no box (the app
 * leaves GDAP alone), or null when the state names the box in a shape Slack does not send.
 */
/**
 * The Home tab's box for one request. Its block_id names the request as well as its place: Slack
 * keeps an element's state per block_id when a view is published again, so a box named only by
 * its place would hand one request's tick to whichever request takes that place next.
 */
export function homeGdapBlock(n: number, request: { c: string; r: string }): string {
  return `${numbered(GDAP_CHOICE_BLOCK, n)}.${request.c}.${request.r}`;
}

/**
 * The GDAP box as the press left it: the approval card's (no number), or the Home tab's n-th box
 * for the request the Approve names. undefined: no such box in the state; null: not readable.
 */
export function readGdapChoice(state: unknown, n?: number, request?: { c: string; r: string }): boolean | undefined | null {
  // a numbered box is the Home tab's, named after its request: without the request there is none to read
  if (n !== undefined && !request) return undefined;
  const block = n === undefined || !request ? GDAP_CHOICE_BLOCK : homeGdapBlock(n, request);
  const action = n === undefined ? ACTIONS.endGdapChoice : numbered(ACTIONS.endGdapChoice, n);
  const values = z.object({ values: z.record(z.string(), z.unknown()) }).safeParse(state);
  if (!values.success || !(block in values.data.values)) return undefined;
  const parsed = z.object({ values: z.object({ [block]: z.object({ [action]: checkboxState }) }) }).safeParse(state);
  if (!parsed.success) return null;
  return (parsed.data.values[block]?.[action]?.selected_options ?? []).some((o) => o.value === END_GDAP_VALUE);
}

export function encodeValue(value: Record<string, string>): string {
  return JSON.stringify(value);
}

export function decodeValue<T>(schema: z.ZodType<T>, raw: unknown): T | null {
  if (typeof raw !== "string" || raw.length > 2000) return null;
  try {
    const parsed = schema.safeParse(JSON.parse(raw));
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}

export type OffboardCommand =
  | { kind: "help" }
  | { kind: "status" }
  | { kind: "scan" }
  | { kind: "scan_status" }
  | { kind: "audit"; query: string }
  | { kind: "relink"; query: string }
  | { kind: "find"; query: string }
  | { kind: "invalid"; problem: string };

// company names carry letters of any script, digits and a little punctuation; nothing else
const customerQuery = z
  .string()
  .trim()
  .min(2, "Give at least two characters of a company name, a domain or a tenant id.")
  .max(100, "That is longer than any company name, domain or tenant id.")
  .regex(/^[\p{L}\p{N} .,&'()_@+-]+$/u, "Use letters, digits and . , & ' ( ) _ @ + - only.");

export function parseOffboardCommand(text: string): OffboardCommand {
  const trimmed = text.trim();
  if (trimmed === "" || /^help$/i.test(trimmed)) return { kind: "help" };
  if (/^status$/i.test(trimmed)) return { kind: "status" };
  if (/^scan$/i.test(trimmed)) return { kind: "scan" };
  if (/^scan\s+status$/i.test(trimmed)) return { kind: "scan_status" };
  const sub = /^(audit|relink)(?:\s+(.*))?$/is.exec(trimmed);
  const rest = sub ? (sub[2] ?? "") : trimmed;
  const query = customerQuery.safeParse(rest);
  if (!query.success) return { kind: "invalid", problem: query.error.issues[0]?.message ?? "That text is not a customer." };
  if (sub?.[1]?.toLowerCase() === "audit") return { kind: "audit", query: query.data };
  if (sub?.[1]?.toLowerCase() === "relink") return { kind: "relink", query: query.data };
  return { kind: "find", query: query.data };
}
