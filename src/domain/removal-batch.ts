// A batch removal request: up to BATCH_MAX customers of the latest finished portfolio scan, each
// ready or suspend-only, requested together with one justification and decided on one card. Each
// customer is an ordinary removal case (removal-case.ts): four eyes, expiry and the live re-check
// hold per customer; these rules only decide what may go into a batch and how a batch moves.
//
// A customer that already has an active case is refused, not joined: that case may be waiting for
// another approver's decision or half-way through its own clean-up, and folding it into a batch
// would let one approval decide two requests.
import type { CleanupClass } from "./cleanup-classes";
import { type CaseState, JUSTIFICATION_MAX, REJECT_REASON_MAX, REMINDER_MAX_LEAD_MS, type RemovalCase, checkJustification } from "./removal-case";

export const BATCH_MAX = 50;
/** only these classes may be batched: nothing blocks, or only active legacy subscriptions do */
export const BATCHABLE_CLASSES: readonly CleanupClass[] = ["ready", "suspend_only"];

export const BATCH_STATES = ["awaiting_approval", "approved", "done", "rejected", "expired", "cancelled"] as const;
export type BatchState = (typeof BATCH_STATES)[number];

export const BATCH_OUTCOMES = ["removed", "suspended_removed", "not_removed"] as const;
export type BatchOutcome = (typeof BATCH_OUTCOMES)[number];

/** A customer as the latest scan saw it. */
export interface BatchCandidate {
  tenantId: string;
  companyName: string;
  domain: string;
  cleanupClass: CleanupClass;
}

export interface RemovalBatch {
  id: string;
  state: BatchState;
  requestedBy: string;
  requestedAt: Date;
  expiresAt: Date;
  justification: string;
  /** the scan the customers were chosen from */
  scanJobId: string;
  decidedBy: string | null;
  decidedAt: Date | null;
  rejectReason: string | null;
  /** when approvers were reminded of it; not a state change, so it does not bump the version */
  remindedAt: Date | null;
  /** the approver's choice to end each removed customer's GDAP relationships; null: not asked (GDAP left alone) */
  endGdap: boolean | null;
  version: number;
}

export type BatchRefusalCode = "empty" | "too_many" | "not_candidate" | "case_active" | "scan_running" | "justification_required" | "wrong_state" | "expired" | "own_request" | "reason_required" | "not_member" | "gdap_choice_required" | "batch_member";

export interface BatchRefusal {
  code: BatchRefusalCode;
  message: string;
}

export type BatchCheck<T> = { ok: true; value: T } | { ok: false; refusal: BatchRefusal };

const no = <T>(code: BatchRefusalCode, message: string): BatchCheck<T> => ({ ok: false, refusal: { code, message } });

function names(list: readonly string[], max = 5): string {
  const shown = list.slice(0, max).join(", ");
  return list.length > max ? `${shown} and ${list.length - max} more` : shown;
}

/**
 * Which customers go into a batch: each selected one must be a ready or suspend-only customer of
 * the scan (finished), none may have an active case, at most BATCH_MAX, and a justification.
 */
export function checkBatchSelection(input: {
  selected: readonly string[];
  scanFinished: boolean;
  candidates: readonly BatchCandidate[];
  /** tenant ids (lower case) with an active case, and that case's company name */
  activeCases: ReadonlyMap<string, string>;
  justification: string;
}): BatchCheck<BatchCandidate[]> {
  if (!input.scanFinished) return no("scan_running", "The portfolio scan is still running; request a batch once it has finished.");
  const wanted = [...new Set(input.selected.map((t) => t.toLowerCase()))];
  if (wanted.length === 0) return no("empty", "Choose at least one customer.");
  if (wanted.length > BATCH_MAX) return no("too_many", `Choose at most ${BATCH_MAX} customers at a time (${wanted.length} chosen).`);
  const why = checkJustification(input.justification);
  if (why) return no("justification_required", why.message);
  const byTenant = new Map(input.candidates.map((c) => [c.tenantId.toLowerCase(), c]));
  const unknown = wanted.filter((t) => !BATCHABLE_CLASSES.includes(byTenant.get(t)?.cleanupClass ?? "unreadable"));
  if (unknown.length > 0) {
    return no("not_candidate", `Only ready and suspend-only customers of the latest scan can be batched; ${unknown.length} chosen ${unknown.length === 1 ? "is" : "are"} not.`);
  }
  const busy = wanted.filter((t) => input.activeCases.has(t)).map((t) => input.activeCases.get(t) ?? t);
  if (busy.length > 0) return no("case_active", `These customers already have an open case; finish or close it first: ${names(busy)}.`);
  return { ok: true, value: wanted.map((t) => byTenant.get(t)).filter((c): c is BatchCandidate => c !== undefined) };
}

/** The new batch, waiting for approval. */
export function newBatch(input: { id: string; requestedBy: string; now: Date; approvalTtlMs: number; justification: string; scanJobId: string }): RemovalBatch {
  return {
    id: input.id,
    state: "awaiting_approval",
    requestedBy: input.requestedBy,
    requestedAt: input.now,
    expiresAt: new Date(input.now.getTime() + input.approvalTtlMs),
    justification: input.justification.trim().slice(0, JUSTIFICATION_MAX),
    scanJobId: input.scanJobId,
    decidedBy: null,
    decidedAt: null,
    rejectReason: null,
    remindedAt: null,
    endGdap: null,
    version: 0,
  };
}

/** A batch customer's case, straight into awaiting_approval: the scan's class stood for the preconditions, the live re-check comes before anything is changed. */
export function batchCase(c: RemovalCase, batch: RemovalBatch): RemovalCase {
  return {
    ...c,
    state: "awaiting_approval",
    requestedBy: batch.requestedBy,
    requestedAt: batch.requestedAt,
    expiresAt: batch.expiresAt,
    justification: batch.justification,
    version: c.version + 1,
  };
}

function requireWaiting(b: RemovalBatch, now: Date, doing: string): BatchRefusal | null {
  if (b.state !== "awaiting_approval") return { code: "wrong_state", message: `Cannot ${doing}: the batch is ${b.state.replace("_", " ")}.` };
  if (now.getTime() > b.expiresAt.getTime()) return { code: "expired", message: `This batch request expired at ${b.expiresAt.toISOString()}. Ask for removal again.` };
  return null;
}

function moved(b: RemovalBatch, changes: Partial<RemovalBatch>): BatchCheck<RemovalBatch> {
  return { ok: true, value: { ...b, ...changes, version: b.version + 1 } };
}

/**
 * awaiting_approval → approved, by someone other than the requester, before it expires. `endGdap`:
 * the approver's choice about GDAP relationships, null when the app leaves them alone; where the
 * app ends them, an approval that does not say (undefined) is refused, never taken as yes or no.
 */
export function approveBatch(b: RemovalBatch, by: string, now: Date, endGdap: boolean | null | undefined): BatchCheck<RemovalBatch> {
  const wrong = requireWaiting(b, now, "approve");
  if (wrong) return { ok: false, refusal: wrong };
  if (by === b.requestedBy) return no("own_request", "You requested this batch, so someone else has to approve it.");
  if (endGdap === undefined) {
    return no("gdap_choice_required", "Nothing was approved: say whether to end the customers' GDAP relationships too (the box on the batch card), then press Approve batch again.");
  }
  return moved(b, { state: "approved", decidedBy: by, decidedAt: now, endGdap });
}

/** awaiting_approval → rejected, with a reason. */
export function rejectBatch(b: RemovalBatch, by: string, reason: string, now: Date): BatchCheck<RemovalBatch> {
  const wrong = requireWaiting(b, now, "reject");
  if (wrong) return { ok: false, refusal: wrong };
  const why = reason.trim();
  if (why.length === 0 || why.length > REJECT_REASON_MAX) return no("reason_required", `Please give a reason of at most ${REJECT_REASON_MAX} characters.`);
  return moved(b, { state: "rejected", decidedBy: by, decidedAt: now, rejectReason: why });
}

/**
 * Customers taken out of a waiting batch (by an approver, or the requester); a batch left with
 * nobody in it is cancelled.
 */
export function takeOut(b: RemovalBatch, members: readonly string[], chosen: readonly string[], now: Date): BatchCheck<{ batch: RemovalBatch; out: string[] }> {
  const wrong = requireWaiting(b, now, "take customers out");
  if (wrong) return { ok: false, refusal: wrong };
  const inBatch = new Set(members.map((t) => t.toLowerCase()));
  const out = [...new Set(chosen.map((t) => t.toLowerCase()))];
  if (out.length === 0) return no("empty", "Choose at least one customer to take out.");
  if (out.some((t) => !inBatch.has(t))) return no("not_member", "Some of those customers are no longer in this batch.");
  const emptied = out.length === inBatch.size;
  return { ok: true, value: { batch: emptied ? { ...b, state: "cancelled", decidedAt: now, version: b.version + 1 } : { ...b, version: b.version + 1 }, out } };
}

/** awaiting_approval → expired, once its window has passed. */
export function expireBatch(b: RemovalBatch, now: Date): BatchCheck<RemovalBatch> {
  if (b.state !== "awaiting_approval") return no("wrong_state", "Only a waiting batch expires.");
  if (now.getTime() <= b.expiresAt.getTime()) return no("wrong_state", "The batch has not expired yet.");
  return moved(b, { state: "expired" });
}

/**
 * True when a waiting batch is close to expiry and its approvers have not been reminded yet: the
 * same lead as a single request (a quarter of the window, at most REMINDER_MAX_LEAD_MS).
 */
export function batchReminderDue(b: RemovalBatch, now: Date): boolean {
  if (b.state !== "awaiting_approval" || b.remindedAt) return false;
  const left = b.expiresAt.getTime() - now.getTime();
  const lead = Math.min(REMINDER_MAX_LEAD_MS, Math.floor((b.expiresAt.getTime() - b.requestedAt.getTime()) / 4));
  return left > 0 && left <= lead;
}

/** approved → done, once every customer in it has an outcome. */
export function finishBatch(b: RemovalBatch, outcomes: ReadonlyArray<BatchOutcome | null>): BatchCheck<RemovalBatch> {
  if (b.state !== "approved") return no("wrong_state", "Only an approved batch finishes.");
  if (outcomes.some((o) => o === null)) return no("wrong_state", "Some customers of the batch are still being worked on.");
  return moved(b, { state: "done" });
}

/**
 * What execution may do for a customer, from the class the approval covered and what a live read
 * shows now: remove (nothing blocks), suspend its legacy subscriptions first (only when the
 * approval covered that and nothing else blocks), or nothing (the case reopens with its blockers).
 */
export function batchStep(approvedClass: CleanupClass, liveBlockerKinds: readonly string[]): "remove" | "suspend_then_remove" | "reopen" {
  if (liveBlockerKinds.length === 0) return "remove";
  if (approvedClass === "suspend_only" && liveBlockerKinds.every((k) => k === "active_legacy_subscription")) return "suspend_then_remove";
  return "reopen";
}

/**
 * A customer's outcome as its case ended: removed only once the case is removed (Partner Center
 * confirmed it, or a read showed it gone), "suspended and removed" when the batch suspended any of
 * its subscriptions first (counted from what was recorded durably, so a retried job still knows).
 */
export function removedOutcome(suspended: number): BatchOutcome {
  return suspended > 0 ? "suspended_removed" : "removed";
}

/**
 * The outcome a recorded one gives way to when the customer's case moves on after the report
 * (the sweep finished a removal the job gave up on): "not removed" becomes removed once the case
 * is removed; nothing else changes, and an outcome is never taken back from removed.
 */
export function followCase(recorded: BatchOutcome | null, caseState: CaseState, suspended: number): BatchOutcome | null {
  if (recorded !== "not_removed" || caseState !== "removed") return null;
  return removedOutcome(suspended);
}

/**
 * A batch customer's case is decided only on its batch's card while the batch waits: approving,
 * rejecting, withdrawing or closing it on its own (its case message, the Home tab) is refused, so
 * one approval never decides part of a request another approver is reading as a whole. Take out…
 * on the card is how one customer leaves a waiting batch. Once the batch is decided the case is an
 * ordinary case again (a reopened one may be requested and decided on its own).
 */
export function decidedOnCardOnly(c: { state: CaseState; companyName: string }, batch: { state: BatchState } | null): BatchRefusal | null {
  if (!batch || batch.state !== "awaiting_approval" || c.state !== "awaiting_approval") return null;
  return { code: "batch_member", message: `${c.companyName} is part of a batch removal request; it is decided only on the batch's card in the approvals channel (Approve batch, Take out… or Reject).` };
}
