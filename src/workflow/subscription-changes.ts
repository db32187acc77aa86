// Clearing what blocks removal: one subscription action (suspend, cancel inside the window,
// turn off auto-renew, suspend an Azure plan; its PATCHes in subscription-patches.ts), cancelling
// a software purchase, Suspend all as a persisted job, and retrying a job's failed items. Each reads the customer live before it acts (the domain decides whether
// the item may be changed), and hands the read after the change on to the front end. A single
// action is audited as started before it is sent (started-actions.ts), so a press tried again
// after a crash records a change that landed instead of refusing it as nothing to do.
import crypto from "node:crypto";
import { type SubscriptionAction, actionApplied, checkSubscriptionAction, clearableSubscriptions } from "../domain";
import type { Job } from "../store";
import type { CaseView } from "./ports";
import { type Outcome, refused, success } from "./results";
import { applySubscriptionChanges, describeChangeError } from "./subscription-patches";
import { type WorkflowContext, describeError, requestIdOf } from "./workflow-context";
import { composeView, jobView, viewAfter, withGdap } from "./case-views";
import { answerFromReadBack, ownUnansweredStart, sentRequestIdOf, startDetail } from "./started-actions";

export interface SuspendAllStarted {
  job: Job;
  queued: number;
  /** true when a job was already under way for the case and this press joined it */
  joined: boolean;
}

/** One subscription action (suspend, cancel, turn off auto-renew, suspend plan), after the domain agrees. */
export async function changeSubscription(ctx: WorkflowContext, actor: string, caseId: string, subscriptionId: string, action: SubscriptionAction): Promise<Outcome<CaseView>> {
  const auditAction = `subscription.${action}`;
  const loaded = await ctx.loadOperable(actor, caseId, auditAction);
  if (!loaded.ok) return loaded;
  const { removalCase, snapshot } = loaded.value;
  const check = checkSubscriptionAction(snapshot, subscriptionId, action, ctx.clock());
  const earlier = await ownUnansweredStart(ctx, removalCase, auditAction, { field: "subscriptionId", id: subscriptionId });
  if (!check.ok) {
    // this press, tried again after its change landed unrecorded: the change gets its event, and the press is done
    const current = snapshot.subscriptions.find((s) => s.id === subscriptionId);
    if (!earlier || !current || !actionApplied(current, action)) return ctx.refuse(actor, auditAction, "not_actionable", check.reason, removalCase, { subscriptionId });
    await answerFromReadBack(ctx, removalCase, earlier);
    return viewAfter(ctx, caseId, "subscription_changed", { actor, item: { name: current.offerName, action } });
  }
  // a retried press sends the same request id again, so Partner Center can tell it is the same call
  const requestId = sentRequestIdOf(earlier) ?? crypto.randomUUID();
  const item = { subscriptionId, offerName: check.subscription.offerName, changes: check.changes };
  await ctx.audit(actor, auditAction, "started", removalCase, null, startDetail(item, requestId));
  let done: Awaited<ReturnType<typeof applySubscriptionChanges>>;
  try {
    // the subscription as just read (its full resource with it): each PATCH sends it back whole
    done = await applySubscriptionChanges(ctx.partnerCenter, removalCase.tenantId, check.subscription, check.changes, requestId);
  } catch (error) {
    await ctx.audit(actor, auditAction, "failed", removalCase, requestIdOf(error), { subscriptionId, error: describeChangeError(error) });
    return refused("partner_center", `Partner Center did not do that for ${check.subscription.offerName}: ${describeChangeError(error)}`);
  }
  // outside the try: a change that landed is never audited as failed; if this write fails, the retry answers the start
  await ctx.audit(actor, auditAction, "ok", removalCase, done.requestId, item);
  return viewAfter(ctx, caseId, "subscription_changed", { actor, item: { name: check.subscription.offerName, action } });
}

export async function cancelSoftwarePurchase(ctx: WorkflowContext, actor: string, caseId: string, purchaseId: string): Promise<Outcome<CaseView>> {
  const loaded = await ctx.loadOperable(actor, caseId, "software_purchase.cancel");
  if (!loaded.ok) return loaded;
  const { removalCase, snapshot, preconditions } = loaded.value;
  const blocker = preconditions.blockers.find((b) => b.itemId === purchaseId && b.kind === "software_purchase");
  const purchase = snapshot.softwarePurchases.find((p) => p.id === purchaseId);
  const earlier = await ownUnansweredStart(ctx, removalCase, "software_purchase.cancel", { field: "purchaseId", id: purchaseId });
  if (!blocker || !purchase) {
    // this press, tried again after its cancellation landed unrecorded: the cancellation gets its event
    if (earlier && purchase?.status === "cancelled") {
      await answerFromReadBack(ctx, removalCase, earlier);
      return viewAfter(ctx, caseId, "subscription_changed", { actor, item: { name: purchase.name, action: "cancel_software" } });
    }
    return ctx.refuse(actor, "software_purchase.cancel", "not_actionable", "That software purchase cannot be cancelled here (already cancelled, unknown, or past its window).", removalCase, { purchaseId });
  }
  const requestId = sentRequestIdOf(earlier) ?? crypto.randomUUID();
  await ctx.audit(actor, "software_purchase.cancel", "started", removalCase, null, startDetail({ purchaseId, name: purchase.name }, requestId));
  let cancelled: Awaited<ReturnType<typeof ctx.partnerCenter.cancelSoftwarePurchase>>;
  try {
    cancelled = await ctx.partnerCenter.cancelSoftwarePurchase(removalCase.tenantId, purchase, { requestId });
  } catch (error) {
    await ctx.audit(actor, "software_purchase.cancel", "failed", removalCase, requestIdOf(error), { purchaseId, error: describeError(error) });
    return refused("partner_center", `Partner Center did not cancel ${purchase.name}: ${describeError(error)}`);
  }
  await ctx.audit(actor, "software_purchase.cancel", "ok", removalCase, cancelled.requestId, { purchaseId, name: purchase.name });
  return viewAfter(ctx, caseId, "subscription_changed", { actor, item: { name: purchase.name, action: "cancel_software" } });
}

/** Queues a persisted job that suspends or cancels every clearable subscription. */
export async function suspendAll(ctx: WorkflowContext, actor: string, caseId: string): Promise<Outcome<SuspendAllStarted>> {
  // the look for a job under way needs no answer from Partner Center: it goes alongside the read
  const [loaded, running] = await Promise.all([ctx.loadOperable(actor, caseId, "subscriptions.suspend_all"), ctx.store.jobs.findUnfinishedForCase(caseId)]);
  if (!loaded.ok) return loaded;
  const { removalCase, snapshot } = loaded.value;
  if (running) return success({ job: running, queued: running.total, joined: true });
  const work = clearableSubscriptions(snapshot, ctx.clock());
  if (work.length === 0) {
    return ctx.refuse(actor, "subscriptions.suspend_all", "not_actionable", "No subscription is left to suspend or cancel.", removalCase);
  }
  const jobId = crypto.randomUUID();
  const { job, created, items } = await ctx.store.jobs.createUnlessUnfinished({
    id: jobId,
    caseId,
    requestedBy: actor,
    items: work.map(({ subscription, action }) => ({
      subscriptionId: subscription.id,
      label: `${subscription.offerName} (×${subscription.quantity})`,
      action,
      etag: subscription.etag ?? null,
    })),
    // in the job's transaction: during a scan a write of its own waited its turn on the database
    // again, and the job's claim behind it
    audit: ctx.auditEvent(actor, "subscriptions.suspend_all.queued", "ok", removalCase, null, { jobId, count: work.length }),
  });
  // a press at the same moment (a double click, another instance) made the job first
  if (!created) return success({ job, queued: job.total, joined: true });
  // handed over: the runner starts it without reading back what was just written
  ctx.onJobQueued({ job, tenantId: removalCase.tenantId, items, subscriptions: snapshot.subscriptions });
  // the snapshot just read is the customer as the job starts: shown with the job, no second read
  ctx.notify(caseId, "job_started", jobView(ctx, job).then((shownJob) => withGdap(ctx, composeView(ctx, removalCase, snapshot, shownJob)), () => null), { actor, job: { total: work.length } });
  return success({ job, queued: work.length, joined: false });
}

export async function retryFailedJobItems(ctx: WorkflowContext, actor: string, caseId: string, jobId: string): Promise<Outcome<{ requeued: number }>> {
  const loaded = await ctx.loadCaseForOperator(actor, caseId, "subscriptions.retry_failed");
  if (!loaded.ok) return loaded;
  const job = await ctx.store.jobs.get(jobId);
  if (!job || job.caseId !== caseId) return refused("not_found", "That job does not belong to this case.");
  const requeued = await ctx.store.jobs.retryFailed(jobId);
  if (requeued === 0) return refused("not_actionable", "Nothing failed, so there is nothing to retry.");
  await ctx.audit(actor, "subscriptions.retry_failed", "ok", loaded.value, null, { jobId, requeued });
  ctx.notify(caseId, "job_started", undefined, { actor, job: { total: requeued } });
  ctx.onJobQueued();
  return success({ requeued });
}
