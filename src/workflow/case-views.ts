// How a case is shown: a live read of Partner Center with the preconditions evaluated on it, the
// case's latest job from the store and the customer's GDAP relationships read from Graph.
import { type CustomerSnapshot, evaluatePreconditions, isActive } from "../domain";
import type { Job, StoredCase } from "../store";
import { loadSnapshot } from "./customer-snapshot";
import { readGdapView } from "./gdap-ending";
import type { CaseChange, CaseView, ChangeFacts } from "./ports";
import { READ_ANSWERED_20002, isRelationshipGone } from "./relationship-gone";
import { type Outcome, refused, success } from "./results";
import { type WorkflowContext, describeError } from "./workflow-context";

/** The case read again from the store and Partner Center; a failed read is a refusal. */
export async function viewCase(ctx: WorkflowContext, caseId: string): Promise<Outcome<CaseView>> {
  const loaded = await ctx.loadCase(caseId);
  if (!loaded.ok) return loaded;
  return viewOf(ctx, loaded.value);
}

export async function viewOf(ctx: WorkflowContext, removalCase: StoredCase): Promise<Outcome<CaseView>> {
  // GDAP relationships are read alongside: Graph answers whatever Partner Center says
  const gdap = readGdapView(ctx, removalCase);
  try {
    const [snapshot, job] = await Promise.all([loadSnapshot(ctx.partnerCenter, removalCase.tenantId, ctx.clock()), ctx.store.jobs.latestForCase(removalCase.id)]);
    return success({ ...composeView(ctx, removalCase, snapshot, job ? await jobView(ctx, job) : null), gdap: await gdap });
  } catch (error) {
    await gdap.catch(() => undefined);
    if (!isRelationshipGone(error)) return refused("partner_center", `Could not read ${removalCase.companyName} from Partner Center: ${describeError(error)}`);
    // the customer is gone: a case still active is not left open, and the view says what was read
    const latest = isActive(removalCase.state) ? await ctx.endCaseWithoutRelationship("system", removalCase, READ_ANSWERED_20002) : removalCase;
    const job = await ctx.store.jobs.latestForCase(latest.id);
    return success(await withGdap(ctx, composeView(ctx, latest, ctx.goneSnapshot(latest), job ? await jobView(ctx, job) : null)));
  }
}

/** A view from a snapshot already in hand: only the case's latest job (from the store) and its GDAP relationships are read. */
export async function viewWith(ctx: WorkflowContext, removalCase: StoredCase, snapshot: CustomerSnapshot): Promise<CaseView> {
  const job = await ctx.store.jobs.latestForCase(removalCase.id);
  return withGdap(ctx, composeView(ctx, removalCase, snapshot, job ? await jobView(ctx, job) : null));
}

/** The view with the customer's GDAP relationships read live (unchanged when the app leaves GDAP alone). */
export async function withGdap(ctx: WorkflowContext, view: CaseView): Promise<CaseView> {
  const gdap = await readGdapView(ctx, view.removalCase);
  return gdap ? { ...view, gdap } : view;
}

export async function jobView(ctx: WorkflowContext, job: Job): Promise<NonNullable<CaseView["job"]>> {
  const [progress, failed] = await Promise.all([ctx.store.jobs.progress(job.id), ctx.store.jobs.failedItems(job.id, 20)]);
  return { job, progress, failed };
}

export function composeView(ctx: WorkflowContext, removalCase: StoredCase, snapshot: CustomerSnapshot, job: CaseView["job"]): CaseView {
  return { removalCase, snapshot, preconditions: evaluatePreconditions(snapshot, ctx.clock()), job };
}

/**
 * Reads the case after a change and tells the front end, handing it the read under way so it
 * does not read Partner Center again; the caller gets the same read.
 */
export async function viewAfter(ctx: WorkflowContext, caseId: string, change: CaseChange, facts?: ChangeFacts): Promise<Outcome<CaseView>> {
  const reading = viewCase(ctx, caseId);
  ctx.notify(caseId, change, reading.then((view) => (view.ok ? view.value : null), () => null), facts);
  return reading;
}
