// The life of one removal case. Every move is a function that either returns the next case or
// a typed refusal; nothing else changes a case's state, so no front end can skip a step.
import type { PreconditionResult } from "./preconditions";

export const CASE_STATES = [
  "open",
  "awaiting_approval",
  "approved",
  "removing",
  "removed",
  "rejected",
  "cancelled",
  "expired",
  "failed",
] as const;
export type CaseState = (typeof CASE_STATES)[number];

export const TERMINAL_STATES: ReadonlySet<CaseState> = new Set(["removed", "rejected", "cancelled", "expired"]);

export function isActive(state: CaseState): boolean {
  return !TERMINAL_STATES.has(state);
}

export interface RemovalCase {
  id: string;
  tenantId: string;
  companyName: string;
  domain: string;
  state: CaseState;
  openedBy: string;
  openedAt: Date;
  requestedBy: string | null;
  requestedAt: Date | null;
  expiresAt: Date | null;
  decidedBy: string | null;
  decidedAt: Date | null;
  /** why the requester asks for removal (shown to approvers, kept in the audit trail) */
  justification: string | null;
  rejectReason: string | null;
  failureReason: string | null;
  removedAt: Date | null;
  /** when approvers were reminded of this request; not a state change, so it does not bump the version */
  remindedAt: Date | null;
  /** bumped on every write; a write based on an older version loses */
  version: number;
}

export type RefusalCode =
  | "wrong_state"
  | "blocked"
  | "not_operator"
  | "not_approver"
  | "own_request"
  | "expired"
  | "not_expired"
  | "reason_required"
  | "justification_required"
  | "superseded"
  | "not_requester";

export interface Refusal {
  code: RefusalCode;
  message: string;
}

export type Transition = { ok: true; next: RemovalCase } | { ok: false; refusal: Refusal };

function refuse(code: RefusalCode, message: string): Transition {
  return { ok: false, refusal: { code, message } };
}

const STATE_WORDS: Record<CaseState, string> = {
  open: "open",
  awaiting_approval: "waiting for approval",
  approved: "approved",
  removing: "being removed",
  removed: "removed",
  rejected: "rejected",
  cancelled: "cancelled",
  expired: "expired",
  failed: "failed",
};

export function describeState(state: CaseState): string {
  return STATE_WORDS[state];
}

function requireState(c: RemovalCase, allowed: CaseState[], doing: string): Refusal | null {
  if (allowed.includes(c.state)) return null;
  return { code: "wrong_state", message: `Cannot ${doing}: the case for ${c.companyName} is ${STATE_WORDS[c.state]}.` };
}

function move(c: RemovalCase, changes: Partial<RemovalCase>): Transition {
  return { ok: true, next: { ...c, ...changes, version: c.version + 1 } };
}

export function openCase(input: {
  id: string;
  tenantId: string;
  companyName: string;
  domain: string;
  openedBy: string;
  now: Date;
}): RemovalCase {
  return {
    id: input.id,
    tenantId: input.tenantId,
    companyName: input.companyName,
    domain: input.domain,
    state: "open",
    openedBy: input.openedBy,
    openedAt: input.now,
    requestedBy: null,
    requestedAt: null,
    expiresAt: null,
    decidedBy: null,
    decidedAt: null,
    justification: null,
    rejectReason: null,
    failureReason: null,
    removedAt: null,
    remindedAt: null,
    version: 0,
  };
}

/** A justification is a few words at least, and no more than a modal's field holds. */
export const JUSTIFICATION_MIN = 3;
export const JUSTIFICATION_MAX = 500;
export const REJECT_REASON_MAX = 500;

/** Whether a justification will do: a few words, no more than the modal's field holds. */
export function checkJustification(justification: string): Refusal | null {
  const why = justification.trim();
  if (why.length < JUSTIFICATION_MIN) return { code: "justification_required", message: "Please say in a few words why this customer should be removed." };
  if (why.length > JUSTIFICATION_MAX) return { code: "justification_required", message: `Please keep the justification under ${JUSTIFICATION_MAX} characters.` };
  return null;
}

/** open → awaiting_approval, only when nothing blocks and the requester says why */
export function requestRemoval(c: RemovalCase, by: string, preconditions: PreconditionResult, now: Date, approvalTtlMs: number, justification: string): Transition {
  const wrong = requireState(c, ["open"], "request removal") ?? checkJustification(justification);
  if (wrong) return { ok: false, refusal: wrong };
  const why = justification.trim();
  if (!preconditions.ready) {
    const count = preconditions.blockers.length;
    return refuse("blocked", `Remove reseller relationship is inactive: ${count} item${count === 1 ? "" : "s"} still block${count === 1 ? "s" : ""} it.`);
  }
  return move(c, { state: "awaiting_approval", requestedBy: by, requestedAt: now, expiresAt: new Date(now.getTime() + approvalTtlMs), justification: why, remindedAt: null });
}

/**
 * A decision names the request it was made on (its request time): a button on an older
 * request's message must not decide a newer request for the same case.
 */
function checkSameRequest(c: RemovalCase, requestedAt: Date | undefined): Refusal | null {
  if (!requestedAt || c.requestedAt?.getTime() === requestedAt.getTime()) return null;
  return { code: "superseded", message: `That approval request for ${c.companyName} was replaced by a newer one. Use the latest request.` };
}

/** how long after a request its card may be pressed while the request is still being saved */
export const REQUEST_SAVE_GRACE_MS = 10_000;

/**
 * The approval card is posted a moment before its request is saved (so a saved request always
 * reached the approvers): a press on it in that moment finds the case still open. True when the
 * press names a request made moments ago that the open case does not hold yet: its save is on
 * the way, so the decision waits for it rather than being refused.
 */
export function requestBeingSaved(c: RemovalCase, requestedAt: Date | undefined, now: Date): boolean {
  if (!requestedAt || c.state !== "open" || c.requestedAt !== null) return false;
  const age = now.getTime() - requestedAt.getTime();
  return age >= 0 && age < REQUEST_SAVE_GRACE_MS && requestedAt.getTime() >= c.openedAt.getTime();
}

/** awaiting_approval → approved; the four-eyes and expiry rules live here */
export function approve(c: RemovalCase, by: string, now: Date, requestedAt?: Date): Transition {
  const wrong = requireState(c, ["awaiting_approval"], "approve") ?? checkSameRequest(c, requestedAt);
  if (wrong) return { ok: false, refusal: wrong };
  if (c.expiresAt && now.getTime() > c.expiresAt.getTime()) {
    return refuse("expired", `This approval request expired at ${c.expiresAt.toISOString()}. Ask for removal again.`);
  }
  if (by === c.requestedBy) return refuse("own_request", "You requested this removal, so someone else has to approve it.");
  return move(c, { state: "approved", decidedBy: by, decidedAt: now });
}

/** awaiting_approval → open, by the requester, who no longer wants it */
export function withdraw(c: RemovalCase, by: string, requestedAt?: Date): Transition {
  const wrong = requireState(c, ["awaiting_approval"], "withdraw the request") ?? checkSameRequest(c, requestedAt);
  if (wrong) return { ok: false, refusal: wrong };
  if (by !== c.requestedBy) return refuse("not_requester", "Only the person who requested the removal can withdraw it.");
  return move(c, { state: "open", requestedBy: null, requestedAt: null, expiresAt: null, justification: null, remindedAt: null });
}

/** Approvers are reminded at most this long before a request expires. */
export const REMINDER_MAX_LEAD_MS = 2 * 60 * 60 * 1000;

/** How long before expiry approvers are reminded: a quarter of the window, at most two hours. */
export function reminderLeadMs(c: RemovalCase): number {
  if (!c.requestedAt || !c.expiresAt) return 0;
  return Math.min(REMINDER_MAX_LEAD_MS, Math.floor((c.expiresAt.getTime() - c.requestedAt.getTime()) / 4));
}

/** True when a waiting request is close to expiry and its approvers have not been reminded yet. */
export function reminderDue(c: RemovalCase, now: Date): boolean {
  if (c.state !== "awaiting_approval" || !c.expiresAt || c.remindedAt) return false;
  const left = c.expiresAt.getTime() - now.getTime();
  return left > 0 && left <= reminderLeadMs(c);
}

/** awaiting_approval → rejected, with a reason */
export function reject(c: RemovalCase, by: string, reason: string, now: Date, requestedAt?: Date): Transition {
  const wrong = requireState(c, ["awaiting_approval"], "reject") ?? checkSameRequest(c, requestedAt);
  if (wrong) return { ok: false, refusal: wrong };
  if (reason.trim().length === 0) return refuse("reason_required", "Please give a reason for rejecting.");
  if (reason.trim().length > REJECT_REASON_MAX) return refuse("reason_required", `Please keep the reason under ${REJECT_REASON_MAX} characters.`);
  return move(c, { state: "rejected", decidedBy: by, decidedAt: now, rejectReason: reason.trim() });
}

/** awaiting_approval → expired, once the approval window has passed */
export function expire(c: RemovalCase, now: Date): Transition {
  const wrong = requireState(c, ["awaiting_approval"], "expire");
  if (wrong) return { ok: false, refusal: wrong };
  if (!c.expiresAt || now.getTime() <= c.expiresAt.getTime()) return refuse("not_expired", "The approval request has not expired yet.");
  return move(c, { state: "expired" });
}

/** open or awaiting_approval → cancelled by an operator */
export function cancel(c: RemovalCase, now: Date): Transition {
  const wrong = requireState(c, ["open", "awaiting_approval"], "cancel");
  if (wrong) return { ok: false, refusal: wrong };
  return move(c, { state: "cancelled", decidedAt: now });
}

/** approved → open, when the live re-check before removal finds new blockers */
export function reopen(c: RemovalCase): Transition {
  const wrong = requireState(c, ["approved"], "reopen");
  if (wrong) return { ok: false, refusal: wrong };
  return move(c, { state: "open", requestedBy: null, requestedAt: null, expiresAt: null, decidedBy: null, decidedAt: null, justification: null, remindedAt: null });
}

/** approved (or failed, on retry) → removing, when the live re-check still finds nothing blocking */
export function beginRemoval(c: RemovalCase, preconditions: PreconditionResult): Transition {
  const wrong = requireState(c, ["approved", "failed"], "remove the relationship");
  if (wrong) return { ok: false, refusal: wrong };
  if (!preconditions.ready) {
    const count = preconditions.blockers.length;
    return refuse("blocked", `${count} item${count === 1 ? "" : "s"} block${count === 1 ? "s" : ""} removal again; nothing was removed.`);
  }
  return move(c, { state: "removing", failureReason: null });
}

/** removing → removed */
export function completeRemoval(c: RemovalCase, now: Date): Transition {
  const wrong = requireState(c, ["removing"], "complete removal");
  if (wrong) return { ok: false, refusal: wrong };
  return move(c, { state: "removed", removedAt: now });
}

/**
 * approved, removing or failed → removed, when a read of Partner Center shows the relationship
 * gone: a removal whose answer was lost, or one done elsewhere. Never from a case nobody approved.
 */
export function confirmRemoval(c: RemovalCase, now: Date): Transition {
  const wrong = requireState(c, ["approved", "removing", "failed"], "confirm the removal");
  if (wrong) return { ok: false, refusal: wrong };
  return move(c, { state: "removed", removedAt: now, failureReason: null });
}

/** removing → failed, with the reason; a failed case can be retried */
export function failRemoval(c: RemovalCase, reason: string): Transition {
  const wrong = requireState(c, ["removing"], "record a failure");
  if (wrong) return { ok: false, refusal: wrong };
  return move(c, { state: "failed", failureReason: reason.trim() || "Partner Center gave no reason." });
}

// ---- ways forward ------------------------------------------------------------------------

/**
 * What moves a case on from each state that is not final, and who does it while the app runs:
 * a person (a button), the durable job of a press (retried after a backoff), or the periodic
 * sweep (any instance). No state may depend on a restart; the sweep reads this map for what it
 * does, and test/domain/ways-forward.test.ts holds every non-final state to having a way on.
 */
export type WayForwardMove = "request" | "decide" | "withdraw" | "close" | "expire" | "resume" | "retry";
export type Mover = "person" | "job" | "sweep";

export interface WayForward {
  move: WayForwardMove;
  by: Mover;
  /** the states this move can lead to */
  to: readonly CaseState[];
  why: string;
}

export const WAYS_FORWARD: { readonly [S in CaseState]: readonly WayForward[] } = {
  open: [
    { move: "request", by: "person", to: ["awaiting_approval"], why: "an operator requests removal once nothing blocks" },
    { move: "close", by: "person", to: ["cancelled"], why: "an operator cancels the case" },
  ],
  awaiting_approval: [
    { move: "decide", by: "person", to: ["approved", "rejected"], why: "an approver approves or rejects" },
    { move: "withdraw", by: "person", to: ["open"], why: "the requester takes the request back" },
    { move: "close", by: "person", to: ["cancelled"], why: "an operator cancels the request" },
    { move: "expire", by: "sweep", to: ["expired"], why: "nobody decided within the approval window" },
  ],
  approved: [
    { move: "resume", by: "job", to: ["removing", "removed", "open"], why: "the Approve press's job re-checks and removes; a failed attempt is tried again" },
    { move: "resume", by: "sweep", to: ["removing", "removed", "open"], why: "an Approve whose job gave up is taken up again" },
  ],
  removing: [{ move: "resume", by: "sweep", to: ["removed", "failed"], why: "a removal cut short (a crash, a deploy) is finished; Partner Center is read first" }],
  failed: [{ move: "retry", by: "person", to: ["removing", "removed"], why: "the case shows why it failed and offers Retry" }],
  removed: [],
  rejected: [],
  cancelled: [],
  expired: [],
};

/** The states the sweep moves on with this move (e.g. every state it resumes). */
export function statesMovedBy(by: Mover, move: WayForwardMove): CaseState[] {
  return CASE_STATES.filter((state) => WAYS_FORWARD[state].some((way) => way.by === by && way.move === move));
}
