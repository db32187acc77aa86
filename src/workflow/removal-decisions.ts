// The removal request's decision (the request itself is in removal-request.ts): an operator
// closes the case; an approver other than the requester approves (which removes at once, see
// removal-execution.ts) or rejects with a reason; unanswered requests expire. A decision names
// the request it was made on, so a button from an older request decides nothing.
import { setTimeout as sleep } from "node:timers/promises";
import { approve as approveTransition, cancel as cancelTransition, expire, reject as rejectTransition, requestBeingSaved } from "../domain";
import type { StoredCase } from "../store";
import { refuseIfBatchDecides } from "./batch-membership";
import { recordGdapChoice } from "./gdap-ending";
import { type ApprovalResult, executeRemoval } from "./removal-execution";
import { type Outcome, success } from "./results";
import type { WorkflowContext } from "./workflow-context";

export async function cancelCase(ctx: WorkflowContext, actor: string, caseId: string): Promise<Outcome<StoredCase>> {
  const loaded = await ctx.loadCaseForOperator(actor, caseId, "case.cancel");
  if (!loaded.ok) return loaded;
  const onCard = await refuseIfBatchDecides<StoredCase>(ctx, actor, "case.cancel", loaded.value);
  if (onCard) return onCard;
  const saved = await ctx.saveOrRefuse(actor, "case.cancel", loaded.value, cancelTransition(loaded.value, ctx.clock()));
  if (!saved.ok) return saved;
  await ctx.audit(actor, "case.cancelled", "ok", saved.value, null);
  ctx.notify(caseId, "cancelled", undefined, { actor, requester: loaded.value.requestedBy });
  return saved;
}

/** how long a decision waits for the request its card shows to be saved, and how often it looks */
const SAVE_WAIT_MS = 5_000;
const SAVE_POLL_MS = 100;

/** A case an approver may decide on, after the permission check; refusals are audited as `action`. */
async function loadForApprover(ctx: WorkflowContext, actor: string, caseId: string, action: string, requestedAt?: Date): Promise<Outcome<StoredCase>> {
  let loaded = await ctx.loadCase(caseId);
  // a press on a card whose request is still being saved (posted first, saved after) waits for the save
  for (let waited = 0; loaded.ok && waited < SAVE_WAIT_MS && requestBeingSaved(loaded.value, requestedAt, ctx.clock()); waited += SAVE_POLL_MS) {
    await sleep(SAVE_POLL_MS);
    loaded = await ctx.loadCase(caseId);
  }
  if (!loaded.ok) return loaded;
  const permission = await ctx.permit(actor, "approve", action, loaded.value);
  if (!permission.ok) return permission;
  // a batch customer's case is decided on the batch's card while the batch waits
  return (await refuseIfBatchDecides<StoredCase>(ctx, actor, action, loaded.value)) ?? loaded;
}

export interface ApprovalChoices {
  /**
   * also end the customer's GDAP relationships once the removal is confirmed; required when the
   * app ends them (Graph configured): an approval that does not say is refused, never defaulted
   */
  endGdap?: boolean | undefined;
  /** the request the approver saw (its time): a newer request for the case is not decided by it */
  requestedAt?: Date | undefined;
}

/**
 * Approves and executes: re-checks Partner Center live, and removes the relationship only
 * if nothing blocks; otherwise the case returns to open with its new blockers. The choice about
 * GDAP relationships is persisted before anything is removed.
 */
export async function approve(ctx: WorkflowContext, actor: string, caseId: string, choices: ApprovalChoices = {}): Promise<Outcome<ApprovalResult>> {
  const loaded = await loadForApprover(ctx, actor, caseId, "removal.approve", choices.requestedAt);
  if (!loaded.ok) return loaded;
  const removalCase = loaded.value;
  // this approver's own approval already stands: the press's job tried again after a crash (or
  // pressed twice) carries on from where the approval got to instead of being refused
  if (removalCase.decidedBy === actor && (removalCase.state === "approved" || removalCase.state === "removing")) {
    return success(await executeRemoval(ctx, actor, removalCase));
  }
  if (removalCase.decidedBy === actor && removalCase.state === "removed") {
    const relinkUrl = await ctx.partnerCenter.getRelationshipRequestLink().catch(() => null);
    return success({ result: "removed", view: null, removalCase, relinkUrl });
  }
  const moved = approveTransition(removalCase, actor, ctx.clock(), choices.requestedAt);
  if (!moved.ok && moved.refusal.code === "expired") await expireCase(ctx, removalCase);
  if (moved.ok && ctx.gdap && choices.endGdap === undefined) {
    return ctx.refuse(actor, "removal.approve", "not_actionable", "Nothing was removed: say whether to end the GDAP relationships too (the box next to Approve), then press Approve again. Open the Home tab again if it shows no box.", removalCase);
  }
  const saved = await ctx.saveOrRefuse(actor, "removal.approve", removalCase, moved, {
    decidedBy: actor,
    decision: "approved",
    reason: null,
    decidedAt: ctx.clock(),
  });
  if (!saved.ok) return saved;
  const endGdap = choices.endGdap ?? false;
  await ctx.audit(actor, "removal.approved", "ok", saved.value, null, ctx.gdap ? { endGdap } : {});
  await recordGdapChoice(ctx, actor, saved.value, endGdap);
  ctx.notify(caseId, "approved", undefined, { actor, requester: saved.value.requestedBy });
  return success(await executeRemoval(ctx, actor, saved.value));
}

/**
 * Whether this person may reject this request now: asked before a front end asks them for a
 * reason, so nobody writes one only to be refused. The rejection itself checks again.
 */
export async function checkRejection(ctx: WorkflowContext, actor: string, caseId: string, requestedAt?: Date, reason = "(checked before the reason is given)"): Promise<Outcome<StoredCase>> {
  const loaded = await loadForApprover(ctx, actor, caseId, "removal.reject", requestedAt);
  if (!loaded.ok) return loaded;
  // the domain's own transition decides, so the check refuses exactly what the rejection would
  const moved = rejectTransition(loaded.value, actor, reason, ctx.clock(), requestedAt);
  if (!moved.ok) return ctx.refuseMove(actor, "removal.reject", loaded.value, moved.refusal);
  return loaded;
}

export async function reject(ctx: WorkflowContext, actor: string, caseId: string, reason: string, requestedAt?: Date): Promise<Outcome<StoredCase>> {
  const loaded = await loadForApprover(ctx, actor, caseId, "removal.reject", requestedAt);
  if (!loaded.ok) return loaded;
  const removalCase = loaded.value;
  // this approver's rejection of this request already stands: the submission's job tried again
  // after a crash carries on as done instead of telling them it was not recorded
  const sameRequest = !requestedAt || removalCase.requestedAt?.getTime() === requestedAt.getTime();
  if (removalCase.state === "rejected" && removalCase.decidedBy === actor && sameRequest) return success(removalCase);
  const now = ctx.clock();
  const moved = rejectTransition(removalCase, actor, reason, now, requestedAt);
  const saved = await ctx.saveOrRefuse(actor, "removal.reject", removalCase, moved, { decidedBy: actor, decision: "rejected", reason: reason.trim(), decidedAt: now });
  if (!saved.ok) return saved;
  await ctx.audit(actor, "removal.rejected", "ok", saved.value, null, { reason: reason.trim() });
  ctx.notify(caseId, "rejected", undefined, { actor, requester: saved.value.requestedBy, reason: reason.trim() });
  return saved;
}

/** Retries a failed removal (an approver's decision stands; the live re-check runs again). */
export async function retryRemoval(ctx: WorkflowContext, actor: string, caseId: string): Promise<Outcome<ApprovalResult>> {
  const loaded = await loadForApprover(ctx, actor, caseId, "removal.retry");
  if (!loaded.ok) return loaded;
  const removalCase = loaded.value;
  if (removalCase.state !== "failed") return ctx.refuse(actor, "removal.retry", "wrong_state", `Only a failed removal can be retried; this case is ${removalCase.state}.`, removalCase);
  return success(await executeRemoval(ctx, actor, removalCase));
}

/** Expires every approval request whose window has passed; returns the expired cases. */
export async function expireDue(ctx: WorkflowContext): Promise<StoredCase[]> {
  const due = await ctx.store.cases.listExpired(ctx.clock());
  const expired: StoredCase[] = [];
  for (const c of due) {
    const done = await expireCase(ctx, c);
    if (done) expired.push(done);
  }
  return expired;
}

async function expireCase(ctx: WorkflowContext, c: StoredCase): Promise<StoredCase | null> {
  const moved = expire(c, ctx.clock());
  if (!moved.ok || !(await ctx.store.cases.saveTransition(moved.next))) return null;
  const stored = { ...c, ...moved.next };
  await ctx.audit("system", "removal.expired", "ok", stored, null, { expiresAt: c.expiresAt?.toISOString() });
  ctx.notify(c.id, "expired", undefined, { actor: "system", requester: c.requestedBy });
  return stored;
}
