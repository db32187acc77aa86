// Asking for removal: an operator requests it with a justification, after a live re-check finds
// nothing blocking; the request is posted to the approvers before it is saved, so a request
// either reached them or did not happen. The requester may withdraw it; approvers are reminded
// once before it expires.
import {
  REMINDER_MAX_LEAD_MS,
  checkJustification,
  reminderDue,
  requestRemoval as requestTransition,
  withdraw as withdrawTransition,
} from "../domain";
import type { MessageRef, StoredCase } from "../store";
import { ApprovalNotDelivered, type CaseView } from "./ports";
import { type Outcome, refused, success } from "./results";
import { refuseIfBatchDecides } from "./batch-membership";
import { type WorkflowContext, describeError } from "./workflow-context";
import { composeView, viewWith, withGdap } from "./case-views";

/** open → awaiting_approval: re-checked live, posted to the approvers, then saved. */
export async function requestRemoval(ctx: WorkflowContext, actor: string, caseId: string, justification: string): Promise<Outcome<CaseView>> {
  const loaded = await ctx.loadOperable(actor, caseId, "removal.request");
  if (!loaded.ok) return loaded;
  const { removalCase, snapshot, preconditions } = loaded.value;
  const policy = await ctx.policy.current();
  const moved = requestTransition(removalCase, actor, preconditions, ctx.clock(), policy.approvalTtlMs, justification);
  if (!moved.ok) return ctx.refuseMove(actor, "removal.request", removalCase, moved.refusal);
  const request: StoredCase = { ...removalCase, ...moved.next, approvalMessage: null };
  let posted: MessageRef;
  try {
    if (!ctx.approvals) throw new ApprovalNotDelivered("no way to reach the approvers is set up");
    // the GDAP relationships (when the app ends them) are read for the approver's choice
    const shown = await withGdap(ctx, composeView(ctx, request, snapshot, null));
    posted = await ctx.approvals.deliver(request, { notices: preconditions.notices, gdap: shown.gdap });
  } catch (error) {
    const why = error instanceof ApprovalNotDelivered ? error.message : describeError(error);
    // not a refusal of the person: the request failed, and the case stays open to be sent again
    await ctx.audit(actor, "removal.request", "failed", removalCase, null, { error: why, justification: request.justification });
    return refused("not_delivered", `The approval request could not be sent, so the case is still open: ${why}`);
  }
  const saved = await ctx.saveOrRefuse(actor, "removal.request", removalCase, moved, undefined, posted);
  if (!saved.ok) {
    await ctx.approvals.retract(posted, request).catch((error: unknown) => ctx.logger.warn({ caseId, err: describeError(error) }, "could not take back an unsaved approval request"));
    return saved;
  }
  // what keeps billing is part of what the approver is asked to accept
  const stillBilling = preconditions.notices.map((n) => n.text);
  await ctx.audit(actor, "removal.requested", "ok", saved.value, null, { expiresAt: saved.value.expiresAt?.toISOString(), justification: saved.value.justification, stillBilling });
  // the re-check just read is what the request was made on: shown as it is
  const view = await viewWith(ctx, saved.value, snapshot);
  const previous = removalCase.approvalMessage;
  const superseded = previous && (previous.channelId !== posted.channelId || previous.ts !== posted.ts) ? { supersededApproval: previous } : {};
  ctx.notify(caseId, "removal_requested", view, { actor, justification: saved.value.justification ?? "", ...superseded });
  return success(view);
}

/**
 * What can be checked without Partner Center before a front end takes the request off the
 * person's hands (a modal closing): may they, is the case open, will the justification do (when given).
 */
export async function checkRemovalRequest(ctx: WorkflowContext, actor: string, caseId: string, justification?: string): Promise<Outcome<StoredCase>> {
  const loaded = await ctx.loadCaseForOperator(actor, caseId, "removal.request");
  if (!loaded.ok) return loaded;
  const c = loaded.value;
  if (c.state !== "open") return ctx.refuse(actor, "removal.request", "wrong_state", `The case for ${c.companyName} is ${c.state.replace("_", " ")}; removal cannot be requested now.`, c);
  const problem = justification === undefined ? null : checkJustification(justification);
  if (problem) return ctx.refuse(actor, "removal.request", problem.code, problem.message, c);
  return loaded;
}

/** awaiting_approval → open, by the requester; `requestedAt` names the request their button was for. */
export async function withdraw(ctx: WorkflowContext, actor: string, caseId: string, requestedAt?: Date): Promise<Outcome<StoredCase>> {
  const loaded = await ctx.loadCaseForOperator(actor, caseId, "removal.withdraw");
  if (!loaded.ok) return loaded;
  const onCard = await refuseIfBatchDecides<StoredCase>(ctx, actor, "removal.withdraw", loaded.value);
  if (onCard) return onCard;
  const saved = await ctx.saveOrRefuse(actor, "removal.withdraw", loaded.value, withdrawTransition(loaded.value, actor, requestedAt));
  if (!saved.ok) return saved;
  await ctx.audit(actor, "removal.withdrawn", "ok", saved.value, null);
  ctx.notify(caseId, "withdrawn", undefined, { actor, requester: actor });
  return saved;
}

/** Reminds the approvers of requests about to expire, once each; returns the cases reminded. */
export async function remindDue(ctx: WorkflowContext): Promise<StoredCase[]> {
  const now = ctx.clock();
  const candidates = await ctx.store.cases.listUnreminded(new Date(now.getTime() + REMINDER_MAX_LEAD_MS));
  const reminded: StoredCase[] = [];
  for (const c of candidates) {
    if (!reminderDue(c, now) || !c.requestedAt) continue;
    // another instance's sweep may be at the same case: only one marks it, and only that one tells
    if (!(await ctx.store.cases.markReminded(c.id, c.requestedAt, now))) continue;
    const stored = { ...c, remindedAt: now };
    await ctx.audit("system", "removal.reminded", "ok", stored, null, { expiresAt: c.expiresAt?.toISOString() });
    ctx.notify(c.id, "reminder", undefined, { actor: "system", requester: c.requestedBy });
    reminded.push(stored);
  }
  return reminded;
}
