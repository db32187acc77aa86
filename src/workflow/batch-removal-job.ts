// Works one customer of an approved batch (a job of kind batch_removal, made in the approval's
// transaction): a live read first; a suspend-only customer whose approval covered it has its
// active legacy subscriptions suspended (each under an MS-RequestId derived from the case and the
// subscription, so a retried job repeats the same calls); then the same removal as a single case
// (removal-execution.ts: re-checked live again, so a suspension that did not take reopens the
// case, and "done" only once Partner Center confirms). Anything else that blocks now reopens the
// case with its blockers and nothing is changed. One customer's failure touches no other's job.
import { type BatchOutcome, type CustomerSnapshot, batchStep, checkSubscriptionAction, evaluatePreconditions, removedOutcome } from "../domain";
import { deriveRequestId } from "../partner-center/request-ids";
import { BATCH_REMOVAL, type BatchMember, type ClaimedJob, type StoredCase } from "../store";
import { z } from "zod";
import { recordOutcome, suspendedReason } from "./batch-outcomes";
import { loadSnapshot } from "./customer-snapshot";
import type { JobEnd, JobHandler } from "./job-runner";
import { type ApprovalResult, executeRemoval } from "./removal-execution";
import { isRelationshipGone } from "./relationship-gone";
import { applySubscriptionChanges, describeChangeError } from "./subscription-patches";
import { type WorkflowContext, describeError, requestIdOf } from "./workflow-context";

const payload = z.strictObject({ batchId: z.uuid(), tenantId: z.string().min(1).max(100) });

/** Why a customer was not removed, in a line. */
function notRemovedWhy(result: ApprovalResult): string {
  if (result.result === "reopened") {
    const blockers = result.view?.preconditions.blockers ?? [];
    const items = [...new Set(blockers.map((b) => `${b.itemName}: ${b.reason}`))];
    return items.length > 0 ? `blocked again: ${items.slice(0, 3).join("; ")}${items.length > 3 ? ` and ${items.length - 3} more` : ""}` : "blocked again";
  }
  return result.failure ?? result.removalCase.failureReason ?? `the case is ${result.removalCase.state}`;
}

export class BatchRemovalJob implements JobHandler {
  readonly kind = BATCH_REMOVAL;
  /** customers worked at once; each is a handful of calls through the shared pacer */
  readonly concurrency = 4;

  constructor(private readonly ctx: WorkflowContext) {}

  async work(job: ClaimedJob): Promise<JobEnd> {
    const parsed = payload.safeParse(job.payload);
    // fail closed: a job this version cannot read is not guessed at
    if (!parsed.success) throw new Error("the stored batch job is not one this app can work");
    const { batchId, tenantId } = parsed.data;
    const member = await this.ctx.store.batches.member(batchId, tenantId);
    const batch = await this.ctx.store.batches.get(batchId);
    if (!member || !batch) throw new Error("the batch or its customer is missing");
    if (member.outcome) return "done";
    const c = await this.ctx.store.cases.get(member.caseId);
    if (!c) throw new Error("the customer's case is missing");
    const actor = batch.decidedBy ?? job.requestedBy;
    const { outcome, reason } = await this.workCase(actor, member, c);
    await recordOutcome(this.ctx, batchId, member, outcome, reason);
    return "done";
  }

  private async workCase(actor: string, member: BatchMember, c: StoredCase): Promise<{ outcome: BatchOutcome; reason: string | null }> {
    // removed by an earlier try of this job: what it suspended then is on record
    if (c.state === "removed") return this.removed(member);
    if (c.state !== "approved" && c.state !== "removing") return { outcome: "not_removed", reason: `the case is ${c.state.replace("_", " ")}` };
    if (c.state === "approved" && member.cleanupClass === "suspend_only") await this.suspendLegacy(actor, member, c);
    // throws when Partner Center cannot be read: the job is tried again
    const result = await executeRemoval(this.ctx, actor, c);
    if (result.result === "removed") return this.removed(member);
    return { outcome: "not_removed", reason: notRemovedWhy(result) };
  }

  /** Removed, with what this or an earlier try suspended first (as recorded, not as counted in this try). */
  private async removed(member: BatchMember): Promise<{ outcome: BatchOutcome; reason: string | null }> {
    const suspended = (await this.ctx.store.batches.member(member.batchId, member.tenantId))?.suspended.length ?? member.suspended.length;
    return { outcome: removedOutcome(suspended), reason: suspendedReason(suspended) };
  }

  /**
   * Suspends the active legacy subscriptions when nothing else blocks, each noted before its PATCH
   * and recorded with its audit event once it lands. The removal's re-check reads them back.
   */
  private async suspendLegacy(actor: string, member: BatchMember, c: StoredCase): Promise<void> {
    let snapshot;
    try {
      snapshot = await loadSnapshot(this.ctx.partnerCenter, c.tenantId, this.ctx.clock());
    } catch (error) {
      // gone already, or unreadable: the removal's own read decides what happens next
      if (isRelationshipGone(error)) return;
      throw error;
    }
    await this.recordEarlierSuspensions(actor, member, c, snapshot);
    const preconditions = evaluatePreconditions(snapshot, this.ctx.clock());
    const kinds = preconditions.blockers.map((b) => b.kind);
    if (batchStep("suspend_only", kinds) !== "suspend_then_remove") return;
    for (const blocker of preconditions.blockers) {
      const check = checkSubscriptionAction(snapshot, blocker.itemId, "suspend", this.ctx.clock());
      if (!check.ok) continue;
      const subscriptionId = check.subscription.id;
      await this.ctx.store.batches.noteSuspending(member.batchId, member.tenantId, subscriptionId);
      let requestId: string | null;
      try {
        requestId = (await applySubscriptionChanges(this.ctx.partnerCenter, c.tenantId, check.subscription, check.changes, suspendRequestId(c, subscriptionId))).requestId;
      } catch (error) {
        // the removal's re-check finds it still active and reopens the case, naming it
        await this.ctx.audit(actor, "subscription.suspend", "failed", c, requestIdOf(error), { batchId: c.batchId, subscriptionId, error: describeChangeError(error) });
        continue;
      }
      // a record that fails fails the try: the next one finds the suspension noted and records it
      const event = this.ctx.auditEvent(actor, "subscription.suspend", "ok", c, requestId, { batchId: c.batchId, subscriptionId, offerName: check.subscription.offerName });
      await this.ctx.store.batches.noteSuspended(member.batchId, member.tenantId, subscriptionId, event);
    }
  }

  /**
   * An earlier try noted a suspension and stopped before recording it: if Partner Center now shows
   * that subscription suspended, the suspension is recorded and audited (once) as that try's.
   */
  private async recordEarlierSuspensions(actor: string, member: BatchMember, c: StoredCase, snapshot: CustomerSnapshot): Promise<void> {
    const recorded = new Set(member.suspended.map((id) => id.toLowerCase()));
    for (const subscriptionId of member.suspending.filter((id) => !recorded.has(id.toLowerCase()))) {
      const now = snapshot.subscriptions.find((s) => s.id.toLowerCase() === subscriptionId.toLowerCase());
      // still active: not landed, and the loop suspends it again under the same MS-RequestId
      if (now?.status !== "suspended") continue;
      const event = this.ctx.auditEvent(actor, "subscription.suspend", "ok", c, suspendRequestId(c, subscriptionId), {
        batchId: c.batchId,
        subscriptionId,
        offerName: now.offerName,
        readBack: "suspended: sent by an earlier try that stopped before recording it",
      });
      await this.ctx.store.batches.noteSuspended(member.batchId, member.tenantId, subscriptionId, event);
    }
  }

  async gaveUp(job: ClaimedJob, error: string): Promise<void> {
    const parsed = payload.safeParse(job.payload);
    if (!parsed.success) return;
    const member = await this.ctx.store.batches.member(parsed.data.batchId, parsed.data.tenantId);
    if (!member) return;
    try {
      const c = await this.ctx.store.cases.get(member.caseId);
      // a removal confirmed before the last try failed is reported as such; anything else is not
      // removed yet, and the report follows the case if the sweep finishes its removal later
      const ended = c?.state === "removed" ? await this.removed(member) : { outcome: "not_removed" as const, reason: `gave up after ${job.attempts} tries: ${error}` };
      await recordOutcome(this.ctx, parsed.data.batchId, member, ended.outcome, ended.reason);
    } catch (failure) {
      this.ctx.logger.error({ err: describeError(failure) }, "could not record a batch customer");
    }
  }
}

/** The MS-RequestId of the batch's suspension of one subscription: the same on every try. */
function suspendRequestId(c: StoredCase, subscriptionId: string): string {
  return deriveRequestId(c.id, `batch-suspend:${subscriptionId}`);
}
