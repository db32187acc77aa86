// Each batch customer's outcome for the card and the report: recorded once by the customer's job,
// and followed afterwards when the case moves on (a removal the job gave up on that the sweep
// later finished is reported removed, as Partner Center confirmed it). The batch is done once
// every customer still in it has an outcome.
import { type BatchOutcome, finishBatch, followCase } from "../domain";
import type { BatchMember, StoredCase } from "../store";
// types only: workflow-context.ts calls followBatchCase, so a value import back would be a cycle
import type { WorkflowContext } from "./workflow-context";

/** the reason shown next to a customer the batch suspended subscriptions for */
export function suspendedReason(suspended: number): string | null {
  return suspended > 0 ? `${suspended} legacy subscription${suspended === 1 ? "" : "s"} suspended first` : null;
}

/** Records a customer's outcome once (a repeated job records nothing), audited; the batch finishes when it was the last. */
export async function recordOutcome(ctx: WorkflowContext, batchId: string, member: BatchMember, outcome: BatchOutcome, reason: string | null): Promise<void> {
  if (!(await ctx.store.batches.recordOutcome(batchId, member.tenantId, outcome, reason))) return;
  await ctx.store.audit.append({ actor: "system", action: "batch.customer_done", outcome: outcome === "not_removed" ? "refused" : "ok", caseId: member.caseId, tenantId: member.tenantId, detail: { batchId, outcome, reason }, at: ctx.clock() });
  await finishIfDone(ctx, batchId);
}

/**
 * A batch customer's case was removed outside its job (the sweep, a read showing it gone): an
 * outcome already recorded as not removed follows it, audited, and the card and requester are told.
 */
export async function followBatchCase(ctx: WorkflowContext, c: StoredCase): Promise<void> {
  if (!c.batchId) return;
  try {
    const member = await ctx.store.batches.member(c.batchId, c.tenantId);
    if (!member || member.caseId !== c.id) return;
    const next = followCase(member.outcome, c.state, member.suspended.length);
    if (!next || !(await ctx.store.batches.reviseOutcome(c.batchId, c.tenantId, "not_removed", next, suspendedReason(member.suspended.length)))) return;
    await ctx.store.audit.append({ actor: "system", action: "batch.customer_followed", outcome: "ok", caseId: c.id, tenantId: c.tenantId, detail: { batchId: c.batchId, from: member.outcome, outcome: next }, at: ctx.clock() });
    ctx.batches?.batchChanged(c.batchId, "followed", { actor: "system", tenantId: c.tenantId });
  } catch (error) {
    // the case is removed either way; the card catches up at the next change
    ctx.logger.warn({ caseId: c.id, batchId: c.batchId, err: error instanceof Error ? error.message : String(error) }, "could not follow a batch customer's case");
  }
}

/** The batch is done once every customer still in it has an outcome: audited once, the front end told. */
async function finishIfDone(ctx: WorkflowContext, batchId: string): Promise<void> {
  const batch = await ctx.store.batches.get(batchId);
  if (!batch || batch.state !== "approved") return;
  const members = (await ctx.store.batches.members(batchId)).filter((m) => !m.takenOut);
  const finished = finishBatch(batch, members.map((m) => m.outcome));
  if (!finished.ok) return void ctx.batches?.batchChanged(batchId, "progress", { actor: "system" });
  if (!(await ctx.store.batches.save(finished.value))) return;
  const count = (o: BatchOutcome) => members.filter((m) => m.outcome === o).length;
  await ctx.store.audit.append({ actor: "system", action: "batch.finished", outcome: "ok", detail: { batchId, removed: count("removed"), suspendedRemoved: count("suspended_removed"), notRemoved: count("not_removed") }, at: ctx.clock() });
  ctx.batches?.batchChanged(batchId, "finished", { actor: "system" });
}
