// The use cases of offboarding a customer, over the domain rules, the store and Partner Center.
// Every entry point checks permissions and state through the domain module, whichever front
// end called it, and every state change (or refusal of one) leaves an audit event.
import crypto from "node:crypto";
import {
  type CustomerSnapshot,
  type PreconditionResult,
  type RemovalCase,
  type Transition,
  approve as approveTransition,
  beginRemoval,
  cancel as cancelTransition,
  checkApprover,
  checkOperator,
  checkSubscriptionAction,
  clearableSubscriptions,
  completeRemoval,
  evaluatePreconditions,
  expire,
  failRemoval,
  isActive,
  openCase,
  reject as rejectTransition,
  reopen,
  requestRemoval as requestTransition,
} from "../domain";
import { PartnerCenterError, type PartnerCenterApi } from "../partner-center/partner-center-api";
import { type AuditEvent, type AuditOutcome, CaseAlreadyActiveError, type Job, type MessageRef, type StoredCase, type Store } from "../store";
import { loadSnapshot } from "./customer-snapshot";
import { type Logger, silentLogger } from "../logger";
import { type CaseChange, type CaseObserver, type CaseView, type Clock, type FreshView, type PolicyProvider, ignoringObserver } from "./ports";
import { type DecisionTaken, type Outcome, type RefusalDetail, type UseCaseRefusalCode, refused, success } from "./results";

export interface ApprovalResult {
  /** removed: the relationship is gone; reopened: something blocks again, nothing was removed */
  result: "removed" | "reopened" | "failed";
  view: CaseView | null;
  removalCase: StoredCase;
  relinkUrl: string | null;
  failure?: string;
}

/** What the case points at after an attempt to point it at a newly posted message. */
export type CaseMessagePlacement = { placed: true } | { placed: false; current: MessageRef | null };

export interface WorkflowDeps {
  store: Store;
  partnerCenter: PartnerCenterApi;
  policy: PolicyProvider;
  clock?: Clock;
  logger?: Logger;
  observer?: CaseObserver;
  /** started by Suspend all; the runner works persisted jobs */
  onJobQueued?: () => void;
}

/** A GUID derived from the case and its version: a removal resumed after a crash repeats the same MS-RequestId. */
function removalRequestId(caseId: string, version: number): string {
  const hex = crypto.createHash("sha256").update(`${caseId}:removal:${version}`).digest("hex");
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-a${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

function describeError(error: unknown): string {
  if (error instanceof PartnerCenterError) return error.message;
  return error instanceof Error ? error.message : String(error);
}

export class OffboardingWorkflow {
  private readonly store: Store;
  private readonly partnerCenter: PartnerCenterApi;
  private readonly policy: PolicyProvider;
  private readonly clock: Clock;
  private readonly logger: Logger;
  private observer: CaseObserver;
  private readonly onJobQueued: () => void;

  constructor(deps: WorkflowDeps) {
    this.store = deps.store;
    this.partnerCenter = deps.partnerCenter;
    this.policy = deps.policy;
    this.clock = deps.clock ?? (() => new Date());
    this.logger = deps.logger ?? silentLogger;
    this.observer = deps.observer ?? ignoringObserver;
    this.onJobQueued = deps.onJobQueued ?? (() => undefined);
  }

  /** The front end registers itself after construction (it needs the workflow to exist first). */
  setObserver(observer: CaseObserver): void {
    this.observer = observer;
  }

  // ---- reading -------------------------------------------------------------------------

  /** The case with a live read of Partner Center and the preconditions evaluated on it. */
  async viewCase(caseId: string): Promise<Outcome<CaseView>> {
    const removalCase = await this.store.cases.get(caseId);
    if (!removalCase) return refused("not_found", "That case does not exist.");
    return this.viewOf(removalCase);
  }

  private async viewOf(removalCase: StoredCase): Promise<Outcome<CaseView>> {
    try {
      return success(await this.buildView(removalCase));
    } catch (error) {
      return refused("partner_center", `Could not read ${removalCase.companyName} from Partner Center: ${describeError(error)}`);
    }
  }

  async listOpenCases(): Promise<StoredCase[]> {
    return this.store.cases.listActive();
  }

  async auditTrail(tenantId: string): Promise<AuditEvent[]> {
    return this.store.audit.listByTenant(tenantId, 100);
  }

  /** What a user's home shows: their own active cases and the requests waiting for them. */
  async homeFor(userId: string): Promise<{ myCases: StoredCase[]; awaitingMe: StoredCase[]; isApprover: boolean }> {
    const [policy, active] = await Promise.all([this.policy.current(), this.store.cases.listActive(100)]);
    const isApprover = policy.approvers.has(userId);
    return {
      myCases: active.filter((c) => c.openedBy === userId || c.requestedBy === userId),
      awaitingMe: isApprover ? active.filter((c) => c.state === "awaiting_approval" && c.requestedBy !== userId) : [],
      isApprover,
    };
  }

  // ---- the operator ----------------------------------------------------------------------

  /** Opens a case for a customer, or returns the one already active. */
  async startCase(actor: string, tenantId: string): Promise<Outcome<CaseView>> {
    const permission = checkOperator(await this.policy.current(), actor);
    if (!permission.ok) return this.refuse(actor, "case.open", permission.code, permission.message, { tenantId });
    const existing = await this.store.cases.findActiveByTenant(tenantId);
    if (existing) return this.viewOf(existing);
    let snapshot: CustomerSnapshot;
    try {
      snapshot = await loadSnapshot(this.partnerCenter, tenantId, this.clock());
    } catch (error) {
      return this.refuse(actor, "case.open", "partner_center", `Could not read the customer from Partner Center: ${describeError(error)}`, { tenantId });
    }
    const customer = snapshot.customer;
    if (customer.relationshipToPartner === "none") {
      await this.store.directory.setRelationship(tenantId, "none");
      const message = `${customer.companyName} has no reseller relationship with you any more.`;
      return this.refuse(actor, "case.open", "no_relationship", message, { tenantId }, {}, { customer: { companyName: customer.companyName, domain: customer.domain } });
    }
    const fresh = openCase({ id: crypto.randomUUID(), tenantId, companyName: customer.companyName, domain: customer.domain, openedBy: actor, now: this.clock() });
    let stored: StoredCase;
    try {
      stored = await this.store.cases.create(fresh);
    } catch (error) {
      // two operators opened the same customer at once: both land on the one case
      if (error instanceof CaseAlreadyActiveError) {
        const winner = await this.store.cases.findActiveByTenant(tenantId);
        if (winner) return this.viewCase(winner.id);
      }
      throw error;
    }
    await this.audit(actor, "case.opened", "ok", stored, null, { companyName: customer.companyName });
    const view = this.composeView(stored, snapshot, null);
    this.notify(stored.id, "opened", view);
    return success(view);
  }

  async recheck(actor: string, caseId: string): Promise<Outcome<CaseView>> {
    const view = await this.viewCase(caseId);
    // the observer gets the view just read, so it does not read Partner Center a second time
    if (view.ok) this.notify(caseId, "rechecked", view.value);
    return view;
  }

  /**
   * Points the case at a message just posted, only if it still points where the caller saw it.
   * Otherwise someone else's message won (two requests posted one at once), and the caller is
   * told which one it is.
   */
  async placeCaseMessage(caseId: string, seen: MessageRef | null, posted: MessageRef): Promise<CaseMessagePlacement> {
    if (await this.store.cases.replaceCaseMessage(caseId, seen, posted)) return { placed: true };
    return { placed: false, current: (await this.store.cases.get(caseId))?.caseMessage ?? null };
  }

  /** Remembers the approval request's message, so later changes update it. */
  async placeApprovalMessage(caseId: string, posted: MessageRef): Promise<void> {
    await this.store.cases.setApprovalMessage(caseId, posted);
  }

  /** Suspends (legacy) or cancels (NCE inside its window) one subscription, after the domain agrees. */
  async changeSubscription(actor: string, caseId: string, subscriptionId: string, action: "suspend" | "cancel"): Promise<Outcome<CaseView>> {
    const auditAction = `subscription.${action}`;
    const loaded = await this.loadOperable(actor, caseId, auditAction);
    if (!loaded.ok) return loaded;
    const { removalCase, snapshot } = loaded.value;
    const check = checkSubscriptionAction(snapshot, subscriptionId, action, this.clock());
    if (!check.ok) return this.refuse(actor, auditAction, "not_actionable", check.reason, removalCase, { subscriptionId });
    try {
      const call = action === "suspend" ? this.partnerCenter.suspendSubscription : this.partnerCenter.cancelSubscription;
      const result = await call.call(this.partnerCenter, removalCase.tenantId, check.subscription);
      await this.audit(actor, auditAction, "ok", removalCase, result.requestId, { subscriptionId, offerName: check.subscription.offerName });
    } catch (error) {
      await this.audit(actor, auditAction, "failed", removalCase, requestIdOf(error), { subscriptionId, error: describeError(error) });
      return refused("partner_center", `Partner Center did not ${action} ${check.subscription.offerName}: ${describeError(error)}`);
    }
    return this.viewAfter(caseId, "subscription_changed");
  }

  async cancelSoftwarePurchase(actor: string, caseId: string, purchaseId: string): Promise<Outcome<CaseView>> {
    const loaded = await this.loadOperable(actor, caseId, "software_purchase.cancel");
    if (!loaded.ok) return loaded;
    const { removalCase, snapshot } = loaded.value;
    const blocker = loaded.value.preconditions.blockers.find((b) => b.itemId === purchaseId && b.kind === "software_purchase");
    const purchase = snapshot.softwarePurchases.find((p) => p.id === purchaseId);
    if (!blocker || !purchase) {
      return this.refuse(actor, "software_purchase.cancel", "not_actionable", "That software purchase cannot be cancelled here (already cancelled, unknown, or past its window).", removalCase, { purchaseId });
    }
    try {
      const result = await this.partnerCenter.cancelSoftwarePurchase(removalCase.tenantId, purchase);
      await this.audit(actor, "software_purchase.cancel", "ok", removalCase, result.requestId, { purchaseId, name: purchase.name });
    } catch (error) {
      await this.audit(actor, "software_purchase.cancel", "failed", removalCase, requestIdOf(error), { purchaseId, error: describeError(error) });
      return refused("partner_center", `Partner Center did not cancel ${purchase.name}: ${describeError(error)}`);
    }
    return this.viewAfter(caseId, "subscription_changed");
  }

  /** Queues a persisted job that suspends or cancels every clearable subscription. */
  async suspendAll(actor: string, caseId: string): Promise<Outcome<{ job: Job; queued: number; joined: boolean }>> {
    const loaded = await this.loadOperable(actor, caseId, "subscriptions.suspend_all");
    if (!loaded.ok) return loaded;
    const { removalCase, snapshot } = loaded.value;
    const running = await this.store.jobs.findUnfinishedForCase(caseId);
    if (running) return success({ job: running, queued: running.total, joined: true });
    const work = clearableSubscriptions(snapshot, this.clock());
    if (work.length === 0) {
      return this.refuse(actor, "subscriptions.suspend_all", "not_actionable", "No subscription is left to suspend or cancel.", removalCase);
    }
    const { job, created } = await this.store.jobs.createUnlessUnfinished({
      caseId,
      requestedBy: actor,
      items: work.map(({ subscription, action }) => ({
        subscriptionId: subscription.id,
        label: `${subscription.offerName} (×${subscription.quantity})`,
        action,
        etag: subscription.etag ?? null,
      })),
    });
    // a press at the same moment (a double click, another instance) made the job first
    if (!created) return success({ job, queued: job.total, joined: true });
    await this.audit(actor, "subscriptions.suspend_all.queued", "ok", removalCase, null, { jobId: job.id, count: work.length });
    // the snapshot just read is the customer as the job starts: shown with the job, no second read
    this.notify(caseId, "job_started", this.jobView(job).then((jobView) => this.composeView(removalCase, snapshot, jobView), () => null));
    this.onJobQueued();
    return success({ job, queued: work.length, joined: false });
  }

  async retryFailedJobItems(actor: string, caseId: string, jobId: string): Promise<Outcome<{ requeued: number }>> {
    const loaded = await this.loadCaseForOperator(actor, caseId, "subscriptions.retry_failed");
    if (!loaded.ok) return loaded;
    const job = await this.store.jobs.get(jobId);
    if (!job || job.caseId !== caseId) return refused("not_found", "That job does not belong to this case.");
    const requeued = await this.store.jobs.retryFailed(jobId);
    if (requeued === 0) return refused("not_actionable", "Nothing failed, so there is nothing to retry.");
    await this.audit(actor, "subscriptions.retry_failed", "ok", loaded.value, null, { jobId, requeued });
    this.notify(caseId, "job_started");
    this.onJobQueued();
    return success({ requeued });
  }

  /** open → awaiting_approval, after a live re-check finds nothing blocking. */
  async requestRemoval(actor: string, caseId: string): Promise<Outcome<CaseView>> {
    const loaded = await this.loadOperable(actor, caseId, "removal.request");
    if (!loaded.ok) return loaded;
    const { removalCase, snapshot, preconditions } = loaded.value;
    const policy = await this.policy.current();
    const moved = requestTransition(removalCase, actor, preconditions, this.clock(), policy.approvalTtlMs);
    const saved = await this.saveOrRefuse(actor, "removal.request", removalCase, moved);
    if (!saved.ok) return saved;
    await this.audit(actor, "removal.requested", "ok", saved.value, null, { expiresAt: saved.value.expiresAt?.toISOString() });
    // the re-check just read is what the request was made on: shown as it is
    const view = await this.viewWith(saved.value, snapshot);
    this.notify(caseId, "removal_requested", view);
    return success(view);
  }

  async cancelCase(actor: string, caseId: string): Promise<Outcome<StoredCase>> {
    const loaded = await this.loadCaseForOperator(actor, caseId, "case.cancel");
    if (!loaded.ok) return loaded;
    const saved = await this.saveOrRefuse(actor, "case.cancel", loaded.value, cancelTransition(loaded.value, this.clock()));
    if (!saved.ok) return saved;
    await this.audit(actor, "case.cancelled", "ok", saved.value, null);
    this.notify(caseId, "cancelled");
    return saved;
  }

  // ---- the approver ----------------------------------------------------------------------

  /**
   * Approves and executes: re-checks Partner Center live, and removes the relationship only
   * if nothing blocks; otherwise the case returns to open with its new blockers.
   */
  async approve(actor: string, caseId: string): Promise<Outcome<ApprovalResult>> {
    const permission = checkApprover(await this.policy.current(), actor);
    const removalCase = await this.store.cases.get(caseId);
    if (!removalCase) return refused("not_found", "That case does not exist.");
    if (!permission.ok) return this.refuse(actor, "removal.approve", permission.code, permission.message, removalCase);
    const moved = approveTransition(removalCase, actor, this.clock());
    if (!moved.ok && moved.refusal.code === "expired") await this.expireCase(removalCase);
    const saved = await this.saveOrRefuse(actor, "removal.approve", removalCase, moved, {
      decidedBy: actor,
      decision: "approved",
      reason: null,
      decidedAt: this.clock(),
    });
    if (!saved.ok) return saved;
    await this.audit(actor, "removal.approved", "ok", saved.value, null);
    this.notify(caseId, "approved");
    return success(await this.executeRemoval(actor, saved.value));
  }

  /**
   * Whether this person may reject this request now: asked before a front end asks them for a
   * reason, so nobody writes one only to be refused. The rejection itself checks again.
   */
  async checkRejection(actor: string, caseId: string): Promise<Outcome<StoredCase>> {
    const permission = checkApprover(await this.policy.current(), actor);
    const removalCase = await this.store.cases.get(caseId);
    if (!removalCase) return refused("not_found", "That case does not exist.");
    if (!permission.ok) return this.refuse(actor, "removal.reject", permission.code, permission.message, removalCase);
    if (removalCase.state !== "awaiting_approval") {
      return this.refuse(actor, "removal.reject", "wrong_state", `This request is no longer waiting for a decision; the case is ${removalCase.state.replace("_", " ")}.`, removalCase);
    }
    return success(removalCase);
  }

  async reject(actor: string, caseId: string, reason: string): Promise<Outcome<StoredCase>> {
    const permission = checkApprover(await this.policy.current(), actor);
    const removalCase = await this.store.cases.get(caseId);
    if (!removalCase) return refused("not_found", "That case does not exist.");
    if (!permission.ok) return this.refuse(actor, "removal.reject", permission.code, permission.message, removalCase);
    const now = this.clock();
    const moved = rejectTransition(removalCase, actor, reason, now);
    const saved = await this.saveOrRefuse(actor, "removal.reject", removalCase, moved, { decidedBy: actor, decision: "rejected", reason: reason.trim(), decidedAt: now });
    if (!saved.ok) return saved;
    await this.audit(actor, "removal.rejected", "ok", saved.value, null, { reason: reason.trim() });
    this.notify(caseId, "rejected");
    return saved;
  }

  /** Retries a failed removal (an approver's decision stands; the live re-check runs again). */
  async retryRemoval(actor: string, caseId: string): Promise<Outcome<ApprovalResult>> {
    const permission = checkApprover(await this.policy.current(), actor);
    const removalCase = await this.store.cases.get(caseId);
    if (!removalCase) return refused("not_found", "That case does not exist.");
    if (!permission.ok) return this.refuse(actor, "removal.retry", permission.code, permission.message, removalCase);
    if (removalCase.state !== "failed") return this.refuse(actor, "removal.retry", "wrong_state", `Only a failed removal can be retried; this case is ${removalCase.state}.`, removalCase);
    return success(await this.executeRemoval(actor, removalCase));
  }

  /** Expires every approval request whose window has passed; returns the expired cases. */
  async expireDue(): Promise<StoredCase[]> {
    const due = await this.store.cases.listExpired(this.clock());
    const expired: StoredCase[] = [];
    for (const c of due) {
      const done = await this.expireCase(c);
      if (done) expired.push(done);
    }
    return expired;
  }

  /** After a crash: finishes removals that were approved or under way when the process died. */
  async resumeInterruptedRemovals(): Promise<number> {
    const active = await this.store.cases.listActive(500);
    let resumed = 0;
    for (const c of active) {
      if (c.state !== "approved" && c.state !== "removing") continue;
      resumed += 1;
      await this.executeRemoval("system", c);
    }
    return resumed;
  }

  // ---- afterwards ------------------------------------------------------------------------

  async relinkUrl(actor: string, tenantId: string | null): Promise<Outcome<string>> {
    const permission = checkOperator(await this.policy.current(), actor);
    if (!permission.ok) return this.refuse(actor, "relationship.relink", permission.code, permission.message, { tenantId });
    try {
      const url = await this.partnerCenter.getRelationshipRequestLink();
      await this.store.audit.append({ actor, action: "relationship.relink_link", outcome: "ok", tenantId, at: this.clock() });
      return success(url);
    } catch (error) {
      return refused("partner_center", `Could not get the request link from Partner Center: ${describeError(error)}`);
    }
  }

  // ---- internals -------------------------------------------------------------------------

  private async executeRemoval(actor: string, approved: StoredCase): Promise<ApprovalResult> {
    let current: StoredCase = approved;
    if (current.state === "approved" || current.state === "failed") {
      let snapshot: CustomerSnapshot;
      try {
        snapshot = await loadSnapshot(this.partnerCenter, current.tenantId, this.clock());
      } catch (error) {
        return this.recordFailure(actor, current, `could not re-check Partner Center: ${describeError(error)}`, null);
      }
      const preconditions = evaluatePreconditions(snapshot, this.clock());
      const begun = beginRemoval(current, preconditions);
      if (!begun.ok) {
        if (begun.refusal.code === "blocked" && current.state === "approved") {
          const reopened = reopen(current);
          if (reopened.ok && (await this.store.cases.saveTransition(reopened.next))) {
            const stored = { ...current, ...reopened.next };
            await this.audit(actor, "removal.reopened", "refused", stored, null, { blockers: preconditions.blockers.map((b) => b.kind) });
            // the re-check just read shows the new blockers: handed on, not read again
            const view = await this.viewWith(stored, snapshot);
            this.notify(current.id, "reopened", view);
            return { result: "reopened", view, removalCase: stored, relinkUrl: null };
          }
        }
        return { result: "failed", view: null, removalCase: current, relinkUrl: null, failure: begun.refusal.message };
      }
      if (!(await this.store.cases.saveTransition(begun.next))) {
        const latest = (await this.store.cases.get(current.id)) ?? current;
        return { result: "failed", view: null, removalCase: latest, relinkUrl: null, failure: "Someone else is already handling this removal." };
      }
      current = { ...current, ...begun.next };
      await this.audit(actor, "removal.started", "ok", current, null);
    }
    if (current.state !== "removing") {
      return { result: "failed", view: null, removalCase: current, relinkUrl: null, failure: `The case is ${current.state}.` };
    }
    let pcRequestId: string | null = null;
    try {
      const removed = await this.partnerCenter.removeResellerRelationship(current.tenantId, { requestId: removalRequestId(current.id, current.version) });
      pcRequestId = removed.requestId;
    } catch (error) {
      return this.recordFailure(actor, current, describeError(error), requestIdOf(error));
    }
    const done = completeRemoval(current, this.clock());
    if (!done.ok || !(await this.store.cases.saveTransition(done.next))) {
      const latest = (await this.store.cases.get(current.id)) ?? current;
      return { result: latest.state === "removed" ? "removed" : "failed", view: null, removalCase: latest, relinkUrl: null };
    }
    const stored: StoredCase = { ...current, ...done.next };
    await this.store.directory.setRelationship(current.tenantId, "none");
    await this.audit(actor, "relationship.removed", "ok", stored, pcRequestId);
    this.notify(current.id, "removed");
    let relinkUrl: string | null = null;
    try {
      relinkUrl = await this.partnerCenter.getRelationshipRequestLink();
    } catch (error) {
      this.logger.warn({ caseId: current.id, err: describeError(error) }, "relink link unavailable");
    }
    return { result: "removed", view: null, removalCase: stored, relinkUrl };
  }

  private async recordFailure(actor: string, c: StoredCase, reason: string, pcRequestId: string | null): Promise<ApprovalResult> {
    let latest = c;
    if (c.state === "removing") {
      const failed = failRemoval(c, reason);
      if (failed.ok && (await this.store.cases.saveTransition(failed.next))) latest = { ...c, ...failed.next };
    }
    await this.audit(actor, "relationship.remove", "failed", latest, pcRequestId, { reason });
    this.notify(c.id, "failed");
    return { result: "failed", view: null, removalCase: latest, relinkUrl: null, failure: reason };
  }

  private async expireCase(c: StoredCase): Promise<StoredCase | null> {
    const moved = expire(c, this.clock());
    if (!moved.ok || !(await this.store.cases.saveTransition(moved.next))) return null;
    const stored = { ...c, ...moved.next };
    await this.audit("system", "removal.expired", "ok", stored, null, { expiresAt: c.expiresAt?.toISOString() });
    this.notify(c.id, "expired");
    return stored;
  }

  private async loadCaseForOperator(actor: string, caseId: string, action: string): Promise<Outcome<StoredCase>> {
    const removalCase = await this.store.cases.get(caseId);
    if (!removalCase) return refused("not_found", "That case does not exist.");
    const permission = checkOperator(await this.policy.current(), actor);
    if (!permission.ok) return this.refuse(actor, action, permission.code, permission.message, removalCase);
    if (!isActive(removalCase.state)) {
      return this.refuse(actor, action, "wrong_state", `The case for ${removalCase.companyName} is ${removalCase.state}; nothing more can be done on it.`, removalCase);
    }
    return success(removalCase);
  }

  /** An open case, permission checked, with a live snapshot: what every operator step starts from. */
  private async loadOperable(
    actor: string,
    caseId: string,
    action: string,
  ): Promise<Outcome<{ removalCase: StoredCase; snapshot: CustomerSnapshot; preconditions: PreconditionResult }>> {
    const loaded = await this.loadCaseForOperator(actor, caseId, action);
    if (!loaded.ok) return loaded;
    const removalCase = loaded.value;
    if (removalCase.state !== "open") {
      return this.refuse(actor, action, "wrong_state", `The case for ${removalCase.companyName} is ${removalCase.state.replace("_", " ")}; that button no longer applies.`, removalCase);
    }
    try {
      const snapshot = await loadSnapshot(this.partnerCenter, removalCase.tenantId, this.clock());
      return success({ removalCase, snapshot, preconditions: evaluatePreconditions(snapshot, this.clock()) });
    } catch (error) {
      return refused("partner_center", `Could not read ${removalCase.companyName} from Partner Center: ${describeError(error)}`);
    }
  }

  private async saveOrRefuse(
    actor: string,
    action: string,
    current: StoredCase,
    moved: Transition,
    decision?: Parameters<Store["cases"]["saveTransition"]>[1],
  ): Promise<Outcome<StoredCase>> {
    if (!moved.ok) {
      const decided = await this.decisionOn(current);
      if (decided) return this.refuse(actor, action, moved.refusal.code, describeDecision(decided), current, {}, { decided });
      return this.refuse(actor, action, moved.refusal.code, moved.refusal.message, current);
    }
    if (!(await this.store.cases.saveTransition(moved.next, decision))) {
      const latest = (await this.store.cases.get(current.id)) ?? current;
      const decided = await this.decisionOn(latest);
      const message = decided ? describeDecision(decided) : `Someone else changed this case first; it is now ${latest.state.replace("_", " ")}.`;
      return this.refuse(actor, action, "already_decided", message, latest, {}, decided ? { decided } : {});
    }
    return success({ ...current, ...moved.next });
  }

  /** "Already approved by X" reads better than "wrong state" for the second approver. */
  private async decisionOn(c: RemovalCase): Promise<DecisionTaken | null> {
    if (c.state === "awaiting_approval" || c.state === "open") return null;
    const decision = await this.store.cases.getDecision(c.id);
    if (!decision) return null;
    return { decidedBy: decision.decidedBy, decision: decision.decision, reason: decision.reason, state: c.state };
  }

  private async buildView(removalCase: StoredCase): Promise<CaseView> {
    const [snapshot, job] = await Promise.all([
      loadSnapshot(this.partnerCenter, removalCase.tenantId, this.clock()),
      this.store.jobs.latestForCase(removalCase.id),
    ]);
    return this.composeView(removalCase, snapshot, job ? await this.jobView(job) : null);
  }

  /** A view from a snapshot already in hand: only the case's latest job is read (from the store). */
  private async viewWith(removalCase: StoredCase, snapshot: CustomerSnapshot): Promise<CaseView> {
    const job = await this.store.jobs.latestForCase(removalCase.id);
    return this.composeView(removalCase, snapshot, job ? await this.jobView(job) : null);
  }

  private async jobView(job: Job): Promise<NonNullable<CaseView["job"]>> {
    const [progress, failed] = await Promise.all([this.store.jobs.progress(job.id), this.store.jobs.failedItems(job.id, 20)]);
    return { job, progress, failed };
  }

  /**
   * Reads the case after a change and tells the front end, handing it the read under way so it
   * does not read Partner Center again; the caller gets the same read.
   */
  private viewAfter(caseId: string, change: CaseChange): Promise<Outcome<CaseView>> {
    const reading = this.viewCase(caseId);
    this.notify(caseId, change, reading.then((view) => (view.ok ? view.value : null), () => null));
    return reading;
  }

  private composeView(removalCase: StoredCase, snapshot: CustomerSnapshot, job: CaseView["job"]): CaseView {
    return { removalCase, snapshot, preconditions: evaluatePreconditions(snapshot, this.clock()), job };
  }

  /** Refuses, and leaves the refusal in the audit trail with its code, message and parameters. */
  private async refuse<T>(
    actor: string,
    action: string,
    code: UseCaseRefusalCode,
    message: string,
    subject: { id?: string; tenantId?: string | null } | null,
    detail: Record<string, unknown> = {},
    params: RefusalDetail = {},
  ): Promise<Outcome<T>> {
    await this.store.audit.append({
      actor,
      action,
      outcome: "refused",
      caseId: subject && "id" in subject ? (subject.id ?? null) : null,
      tenantId: subject?.tenantId ?? null,
      detail: { ...detail, ...params, code, message },
      at: this.clock(),
    });
    return refused(code, message, params);
  }

  private async audit(actor: string, action: string, outcome: AuditOutcome, c: RemovalCase, pcRequestId: string | null, detail: Record<string, unknown> = {}): Promise<void> {
    await this.store.audit.append({ actor, action, outcome, caseId: c.id, tenantId: c.tenantId, pcRequestId, detail: { ...detail, state: c.state }, at: this.clock() });
  }

  private notify(caseId: string, change: CaseChange, view?: FreshView): void {
    try {
      this.observer.caseChanged(caseId, change, view);
    } catch (error) {
      this.logger.warn({ caseId, err: describeError(error) }, "case observer failed");
    }
  }
}

function requestIdOf(error: unknown): string | null {
  return error instanceof PartnerCenterError ? (error.details.requestId ?? null) : null;
}

/** The decision in plain words (the audit trail keeps it; front ends may name the person their own way). */
function describeDecision(d: DecisionTaken): string {
  return d.decision === "approved"
    ? `${d.decidedBy} already approved this removal; the case is ${d.state.replace("_", " ")}.`
    : `${d.decidedBy} already rejected this removal${d.reason ? `: ${d.reason}` : "."}`;
}
