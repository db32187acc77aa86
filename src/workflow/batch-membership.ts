// A batch customer's case while its batch waits is decided only on the batch's card (the domain's
// decidedOnCardOnly): the single-case steps (approve, reject, withdraw, close) ask here first, and
// a refusal is audited with the batch it points at.
import { decidedOnCardOnly } from "../domain";
import type { StoredCase } from "../store";
import type { Outcome } from "./results";
import type { WorkflowContext } from "./workflow-context";

/** The refusal when only the batch's card may decide this case now; null when the case may be decided on its own. */
export async function refuseIfBatchDecides<T>(ctx: WorkflowContext, actor: string, action: string, c: StoredCase): Promise<Outcome<T> | null> {
  if (!c.batchId) return null;
  const batch = await ctx.store.batches.get(c.batchId);
  const refusal = decidedOnCardOnly(c, batch);
  if (!refusal) return null;
  return ctx.refuse(actor, action, "batch_member", refusal.message, c, { batchId: c.batchId }, { batchCard: batch?.approvalMessage ?? null });
}

/** Whether a case waits on its batch's card (the Home tab leaves such cases to the card). */
export async function waitsOnBatchCard(ctx: WorkflowContext, c: StoredCase): Promise<boolean> {
  if (!c.batchId || c.state !== "awaiting_approval") return false;
  return decidedOnCardOnly(c, await ctx.store.batches.get(c.batchId)) !== null;
}
