// GDAP relationships on a case: read live from Microsoft Graph for every view (they do not block
// removal, but the operator and the approver see them), the approver's choice to end them held
// as a job until Partner Center confirms the removal (gdap-ending-job.ts works it), and a retry
// of what Graph refused. None of this runs when GRAPH_DISABLED leaves GDAP alone.
import { type GdapPlanItem, planGdapEnding } from "../domain";
import { GraphError } from "../graph/gdap-api";
import { type GdapJob, type GdapJobItem, type JobProgress, type StoredCase, gdapProgress } from "../store";
import { type Outcome, refused, success } from "./results";
import type { WorkflowContext } from "./workflow-context";

/** What a case shows of the customer's GDAP relationships. */
export interface GdapView {
  /** as Graph lists them now, each with what ending it takes; null when Graph could not be read */
  relationships: GdapPlanItem[] | null;
  /** why Graph could not be read, in words a person can act on */
  readProblem: string | null;
  /** the ending an approval chose (held until the removal is confirmed), or null */
  job: { job: GdapJob; progress: JobProgress; items: GdapJobItem[] } | null;
}

export function describeGraphError(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** Graph's own words when it gave some, else our description of the failure. */
export function graphWords(error: unknown): string {
  return error instanceof GraphError && error.details.graphMessage ? error.details.graphMessage : describeGraphError(error);
}

/** The case's GDAP relationships read live, and its ending job; undefined when the app leaves GDAP alone. */
export async function readGdapView(ctx: WorkflowContext, removalCase: Pick<StoredCase, "id" | "tenantId">): Promise<GdapView | undefined> {
  const gdap = ctx.gdap;
  if (!gdap) return undefined;
  const [listed, job] = await Promise.all([
    gdap.listRelationships(removalCase.tenantId).then(
      (relationships) => ({ relationships: planGdapEnding(relationships).items, readProblem: null }),
      (error: unknown) => ({ relationships: null, readProblem: `Could not read the GDAP relationships from Microsoft Graph: ${describeGraphError(error)}` }),
    ),
    ctx.store.gdapJobs.latestForCase(removalCase.id),
  ]);
  if (!job) return { ...listed, job: null };
  const items = await ctx.store.gdapJobs.items(job.id);
  return { ...listed, job: { job, progress: gdapProgress(items), items } };
}

/**
 * The approver's choice, recorded before the removal runs: ending them holds a job that starts
 * once Partner Center confirms the removal; keeping them cancels any held by an earlier approval.
 */
export async function recordGdapChoice(ctx: WorkflowContext, actor: string, approved: StoredCase, endGdap: boolean): Promise<void> {
  if (!ctx.gdap) return;
  if (endGdap) {
    const job = await ctx.store.gdapJobs.hold(approved.id, actor, ctx.clock());
    await ctx.audit(actor, "gdap.ending_held", "ok", approved, null, { jobId: job.id, startsWhen: "Partner Center confirms the removal" });
    return;
  }
  await ctx.store.gdapJobs.cancelHeld(approved.id, ctx.clock());
  await ctx.audit(actor, "gdap.kept", "ok", approved, null, { why: "the approver chose not to end the GDAP relationships" });
}

/**
 * Partner Center has confirmed a removal: the GDAP ending its approval chose may start. Without a
 * case, every held one whose case is removed (the sweep after a crash between the two steps).
 */
export async function releaseGdapEnding(ctx: WorkflowContext, caseId?: string): Promise<void> {
  if (!ctx.gdap) return;
  if ((await ctx.store.gdapJobs.releaseHeld(caseId, ctx.clock())) > 0) ctx.onGdapEndingQueued();
}

/** Puts what did not end back in the queue: the listing, or the relationships Graph refused. */
export async function retryGdapEnding(ctx: WorkflowContext, actor: string, caseId: string, jobId: string): Promise<Outcome<{ requeued: number }>> {
  const action = "gdap.retry";
  const loaded = await ctx.loadCase(caseId);
  if (!loaded.ok) return loaded;
  const c = loaded.value;
  const permission = await ctx.permit(actor, "operate", action, c);
  if (!permission.ok) return permission;
  if (!ctx.gdap) return ctx.refuse(actor, action, "not_actionable", "This app leaves GDAP relationships alone (GRAPH_DISABLED).", c);
  const job = await ctx.store.gdapJobs.get(jobId);
  if (!job || job.caseId !== caseId) return refused("not_found", "That GDAP ending does not belong to this case.");
  if (c.state !== "removed") return ctx.refuse(actor, action, "wrong_state", "GDAP relationships are ended only after the removal; this case is not removed.", c);
  if (job.state !== "failed") return ctx.refuse(actor, action, "not_actionable", "Ending the GDAP relationships has not failed, so there is nothing to retry.", c);
  const requeued = await ctx.store.jobs.retryFailed(jobId);
  if (requeued === 0) return ctx.refuse(actor, action, "not_actionable", "Nothing failed, so there is nothing to retry.", c);
  await ctx.audit(actor, action, "ok", c, null, { jobId, requeued });
  ctx.notify(caseId, "gdap_progress");
  ctx.onGdapEndingQueued();
  return success({ requeued });
}
