// Removing the relationship once approved: a live re-check first (new blockers reopen the case
// and nothing is removed), then the removal under an MS-RequestId derived from the case, so a
// removal resumed after a crash repeats the same call rather than making a second one. Before a
// failure is recorded, the customer is read back: a removal Partner Center carried out but whose
// answer was lost or garbled completes as removed, the audit saying how that was confirmed.
import crypto from "node:crypto";
import { type CustomerSnapshot, beginRemoval, statesMovedBy, completeRemoval, evaluatePreconditions, failRemoval, reopen } from "../domain";
import type { StoredCase } from "../store";
import { loadSnapshot } from "./customer-snapshot";
import { followBatchCase } from "./batch-outcomes";
import { releaseGdapEnding } from "./gdap-ending";
import { READ_ANSWERED_20002, isRelationshipGone } from "./relationship-gone";
import type { CaseView } from "./ports";
import { type WorkflowContext, describeError, requestIdOf } from "./workflow-context";
import { viewWith } from "./case-views";

export interface ApprovalResult {
  /** removed: the relationship is gone; reopened: something blocks again, nothing was removed */
  result: "removed" | "reopened" | "failed";
  view: CaseView | null;
  removalCase: StoredCase;
  relinkUrl: string | null;
  failure?: string;
}

/** A GUID derived from the case and its version: a removal resumed after a crash repeats the same MS-RequestId. */
function removalRequestId(caseId: string, version: number): string {
  const hex = crypto.createHash("sha256").update(`${caseId}:removal:${version}`).digest("hex");
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-a${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

export async function executeRemoval(ctx: WorkflowContext, actor: string, approved: StoredCase): Promise<ApprovalResult> {
  let current: StoredCase = approved;
  if (current.state === "approved" || current.state === "failed") {
    let snapshot: CustomerSnapshot;
    try {
      snapshot = await loadSnapshot(ctx.partnerCenter, current.tenantId, ctx.clock());
    } catch (error) {
      if (isRelationshipGone(error)) return confirmedRemoved(ctx, actor, current, READ_ANSWERED_20002, null);
      const reason = `could not re-check Partner Center: ${describeError(error)}`;
      // an approved case has no failed state to fall back on, and left as it is every button would
      // refuse it: the attempt fails, so the Approve's job tries again (and the sweep resumes it)
      if (current.state === "approved") {
        await ctx.audit(actor, "relationship.remove", "failed", current, requestIdOf(error), { reason });
        throw new Error(reason);
      }
      return recordFailure(ctx, actor, current, reason, null);
    }
    // gone already (an earlier call's answer was lost, or someone removed it in the portal)
    if (snapshot.customer.relationshipToPartner === "none") return confirmedRemoved(ctx, actor, current, READ_SHOWED_NONE, null);
    const preconditions = evaluatePreconditions(snapshot, ctx.clock());
    const begun = beginRemoval(current, preconditions);
    if (!begun.ok) {
      if (begun.refusal.code === "blocked" && current.state === "approved") {
        const reopened = reopen(current);
        if (reopened.ok && (await ctx.store.cases.saveTransition(reopened.next))) {
          const stored = { ...current, ...reopened.next };
          // nothing was removed, so no GDAP ending waits for it; a new approval chooses again
          await ctx.store.gdapJobs.cancelHeld(stored.id, ctx.clock());
          await ctx.audit(actor, "removal.reopened", "refused", stored, null, { blockers: preconditions.blockers.map((b) => b.kind) });
          // the re-check just read shows the new blockers: handed on, not read again
          const view = await viewWith(ctx, stored, snapshot);
          ctx.notify(current.id, "reopened", view, { actor, requester: current.requestedBy });
          return { result: "reopened", view, removalCase: stored, relinkUrl: null };
        }
      }
      return { result: "failed", view: null, removalCase: current, relinkUrl: null, failure: begun.refusal.message };
    }
    if (!(await ctx.store.cases.saveTransition(begun.next))) {
      const latest = (await ctx.store.cases.get(current.id)) ?? current;
      return { result: "failed", view: null, removalCase: latest, relinkUrl: null, failure: "Someone else is already handling this removal." };
    }
    current = { ...current, ...begun.next };
    await ctx.audit(actor, "removal.started", "ok", current, null);
  }
  if (current.state !== "removing") {
    return { result: "failed", view: null, removalCase: current, relinkUrl: null, failure: `The case is ${current.state}.` };
  }
  let pcRequestId: string | null = null;
  try {
    const removed = await ctx.partnerCenter.removeResellerRelationship(current.tenantId, { requestId: removalRequestId(current.id, current.version) });
    pcRequestId = removed.requestId;
  } catch (error) {
    // the call may have been carried out although its answer says otherwise: read back first
    const readBack = await readRelationshipBack(ctx, current.tenantId);
    if (readBack) return confirmedRemoved(ctx, actor, current, `read back after the removal call failed (${describeError(error)}): ${readBack}`, requestIdOf(error));
    return recordFailure(ctx, actor, current, describeError(error), requestIdOf(error));
  }
  const done = completeRemoval(current, ctx.clock());
  if (!done.ok || !(await ctx.store.cases.saveTransition(done.next))) {
    const latest = (await ctx.store.cases.get(current.id)) ?? current;
    return { result: latest.state === "removed" ? "removed" : "failed", view: null, removalCase: latest, relinkUrl: null };
  }
  const stored: StoredCase = { ...current, ...done.next };
  await ctx.store.directory.setRelationship(current.tenantId, "none");
  await ctx.audit(actor, "relationship.removed", "ok", stored, pcRequestId, { confirmedBy: "Partner Center's answer: relationshipToPartner none" });
  const relinkUrl = await relinkLink(ctx, current.id);
  ctx.notify(current.id, "removed", undefined, { actor, requester: stored.requestedBy, relinkUrl });
  // the removal is confirmed: a GDAP ending the approval chose may start, a batch's report follows
  await releaseGdapEnding(ctx, current.id);
  await followBatchCase(ctx, stored);
  return { result: "removed", view: null, removalCase: stored, relinkUrl };
}

const READ_SHOWED_NONE = "a read of the customer showed relationshipToPartner none";

/** How a read shows the relationship gone, or null when it does not (or cannot be read). */
async function readRelationshipBack(ctx: WorkflowContext, tenantId: string): Promise<string | null> {
  try {
    return (await ctx.partnerCenter.getCustomer(tenantId)).relationshipToPartner === "none" ? READ_SHOWED_NONE : null;
  } catch (error) {
    return isRelationshipGone(error) ? READ_ANSWERED_20002 : null;
  }
}

async function confirmedRemoved(ctx: WorkflowContext, actor: string, c: StoredCase, how: string, pcRequestId: string | null): Promise<ApprovalResult> {
  const stored = await ctx.endCaseWithoutRelationship(actor, c, how, pcRequestId);
  if (stored.state !== "removed") return { result: "failed", view: null, removalCase: stored, relinkUrl: null, failure: `The case is ${stored.state}.` };
  return { result: "removed", view: null, removalCase: stored, relinkUrl: await relinkLink(ctx, c.id) };
}

async function relinkLink(ctx: WorkflowContext, caseId: string): Promise<string | null> {
  try {
    return await ctx.partnerCenter.getRelationshipRequestLink();
  } catch (error) {
    ctx.logger.warn({ caseId, err: describeError(error) }, "relink link unavailable");
    return null;
  }
}

async function recordFailure(ctx: WorkflowContext, actor: string, c: StoredCase, reason: string, pcRequestId: string | null): Promise<ApprovalResult> {
  let latest = c;
  if (c.state === "removing") {
    const failed = failRemoval(c, reason);
    if (failed.ok && (await ctx.store.cases.saveTransition(failed.next))) latest = { ...c, ...failed.next };
  }
  await ctx.audit(actor, "relationship.remove", "failed", latest, pcRequestId, { reason });
  ctx.notify(c.id, "failed", undefined, { actor, requester: latest.requestedBy, reason });
  return { result: "failed", view: null, removalCase: latest, relinkUrl: null, failure: reason };
}

/**
 * Finishes removals left approved or under way: after a crash (every such case), and from the
 * periodic sweep for those approved at least `stuckForMs` ago, whose Approve gave up.
 */
/** the states the sweep resumes, as the domain's map of ways forward names them (approved, removing) */
const RESUMED = new Set(statesMovedBy("sweep", "resume"));

export async function resumeInterruptedRemovals(ctx: WorkflowContext, stuckForMs = 0): Promise<number> {
  // a removal confirmed just before a crash: its GDAP ending was not released yet
  await releaseGdapEnding(ctx);
  const active = await ctx.store.cases.listActive(500);
  const before = ctx.clock().getTime() - stuckForMs;
  let resumed = 0;
  for (const c of active) {
    if (!RESUMED.has(c.state)) continue;
    if (stuckForMs > 0 && (c.decidedAt?.getTime() ?? 0) > before) continue;
    // a batch customer's own job carries it on (it suspends first where the approval covered that)
    if (c.batchId && (await ctx.store.batches.workPending(c.id))) continue;
    resumed += 1;
    try {
      await executeRemoval(ctx, "system", c);
    } catch (error) {
      // still unreachable: the next sweep tries again
      ctx.logger.warn({ caseId: c.id, err: describeError(error) }, "could not resume a removal");
    }
  }
  return resumed;
}
