// The use cases of offboarding a customer, over the domain rules, the store and Partner Center,
// behind one facade: front ends call this class; each group of use cases lives in its own file.
// Every entry point checks permissions and state through the domain, whichever front end called
// it, and every state change (or refusal of one) leaves an audit event. Answers are data: a
// front end words them.
import { BATCHABLE_CLASSES, type Customer, type SubscriptionAction } from "../domain";
import type { AuditEvent, MessageRef, StoredCase } from "../store";
import * as messages from "./case-messages";
import * as opening from "./case-opening";
import * as scanning from "./portfolio-scan";
import * as reading from "./case-reading";
import type { ApprovalRequests, BatchFrontEnd, BatchView, CaseObserver, CaseView, SetupReport } from "./ports";
import * as relink from "./relink";
import * as gdap from "./gdap-ending";
import * as decisions from "./removal-decisions";
import * as request from "./removal-request";
import * as setup from "./setup-checks";
import * as batches from "./removal-batch";
import { BatchRemovalJob } from "./batch-removal-job";
import { type ApprovalResult, resumeInterruptedRemovals } from "./removal-execution";
import type { Outcome } from "./results";
import * as changes from "./subscription-changes";
import { WorkflowContext, type WorkflowDeps } from "./workflow-context";

export type { ApprovalResult } from "./removal-execution";
export type { CaseMessagePlacement } from "./case-messages";
export type { GdapView } from "./gdap-ending";
export type { ApprovalChoices } from "./removal-decisions";
export type { HomeSummary } from "./case-reading";
export type { SetupShown } from "./setup-checks";
export type { SuspendAllStarted } from "./subscription-changes";
export type { WorkflowDeps } from "./workflow-context";
export type { ScanReport, ScanStarted, ScanStatus } from "./portfolio-scan";
export type { BatchCandidates } from "./removal-batch";

export class OffboardingWorkflow {
  private readonly ctx: WorkflowContext;

  constructor(deps: WorkflowDeps) {
    this.ctx = new WorkflowContext(deps);
  }

  /** The front end registers itself after construction (it needs the workflow to exist first). */
  setObserver(observer: CaseObserver): void {
    this.ctx.observer = observer;
  }

  /** The front end that puts removal requests in front of approvers; until one is set, none is sent. */
  setApprovalRequests(approvals: ApprovalRequests): void {
    this.ctx.approvals = approvals;
  }

  /** The front end that shows batch requests to approvers. */
  setBatchFrontEnd(front: BatchFrontEnd): void {
    this.ctx.batches = front;
  }

  /** The handler of batch customers' jobs, for the job runner. */
  batchRemovalJob(): BatchRemovalJob {
    return new BatchRemovalJob(this.ctx);
  }

  // ---- reading -------------------------------------------------------------------------

  viewCase(caseId: string): Promise<Outcome<CaseView>> {
    return reading.viewCase(this.ctx, caseId);
  }

  /** The case as stored (no permission check, no Partner Center): for keeping messages in step. */
  caseRecord(caseId: string): Promise<StoredCase | null> {
    return reading.caseRecord(this.ctx, caseId);
  }

  listOpenCases(actor: string): Promise<Outcome<StoredCase[]>> {
    return reading.listOpenCases(this.ctx, actor);
  }

  auditTrail(actor: string, tenantId: string): Promise<Outcome<AuditEvent[]>> {
    return reading.auditTrail(this.ctx, actor, tenantId);
  }

  findCustomers(actor: string, query: string, limit = 10): Promise<Outcome<Customer[]>> {
    return reading.findCustomers(this.ctx, actor, query, limit);
  }

  homeFor(userId: string): Promise<reading.HomeSummary> {
    return reading.homeFor(this.ctx, userId);
  }

  /** An admin runs the set-up checks again (a run under way is joined). */
  rerunSetupChecks(actor: string): Promise<Outcome<SetupReport>> {
    return setup.rerunSetupChecks(this.ctx, actor);
  }

  // ---- the operator ----------------------------------------------------------------------

  startCase(actor: string, tenantId: string): Promise<Outcome<CaseView>> {
    return opening.startCase(this.ctx, actor, tenantId);
  }

  recheck(actor: string, caseId: string): Promise<Outcome<CaseView>> {
    return opening.recheck(this.ctx, actor, caseId);
  }

  placeCaseMessage(caseId: string, seen: MessageRef | null, posted: MessageRef): Promise<messages.CaseMessagePlacement> {
    return messages.placeCaseMessage(this.ctx, caseId, seen, posted);
  }

  changeSubscription(actor: string, caseId: string, subscriptionId: string, action: SubscriptionAction): Promise<Outcome<CaseView>> {
    return changes.changeSubscription(this.ctx, actor, caseId, subscriptionId, action);
  }

  cancelSoftwarePurchase(actor: string, caseId: string, purchaseId: string): Promise<Outcome<CaseView>> {
    return changes.cancelSoftwarePurchase(this.ctx, actor, caseId, purchaseId);
  }

  suspendAll(actor: string, caseId: string): Promise<Outcome<changes.SuspendAllStarted>> {
    return changes.suspendAll(this.ctx, actor, caseId);
  }

  retryFailedJobItems(actor: string, caseId: string, jobId: string): Promise<Outcome<{ requeued: number }>> {
    return changes.retryFailedJobItems(this.ctx, actor, caseId, jobId);
  }

  requestRemoval(actor: string, caseId: string, justification: string): Promise<Outcome<CaseView>> {
    return request.requestRemoval(this.ctx, actor, caseId, justification);
  }

  checkRemovalRequest(actor: string, caseId: string, justification?: string): Promise<Outcome<StoredCase>> {
    return request.checkRemovalRequest(this.ctx, actor, caseId, justification);
  }

  withdrawRequest(actor: string, caseId: string, requestedAt?: Date): Promise<Outcome<StoredCase>> {
    return request.withdraw(this.ctx, actor, caseId, requestedAt);
  }

  cancelCase(actor: string, caseId: string): Promise<Outcome<StoredCase>> {
    return decisions.cancelCase(this.ctx, actor, caseId);
  }

  // ---- the approver ----------------------------------------------------------------------

  /** `choices.requestedAt` names the request the approver saw; a newer request for the case is not decided by it. */
  approve(actor: string, caseId: string, choices?: decisions.ApprovalChoices): Promise<Outcome<ApprovalResult>> {
    return decisions.approve(this.ctx, actor, caseId, choices);
  }

  checkRejection(actor: string, caseId: string, requestedAt?: Date, reason?: string): Promise<Outcome<StoredCase>> {
    return decisions.checkRejection(this.ctx, actor, caseId, requestedAt, reason);
  }

  reject(actor: string, caseId: string, reason: string, requestedAt?: Date): Promise<Outcome<StoredCase>> {
    return decisions.reject(this.ctx, actor, caseId, reason, requestedAt);
  }

  retryRemoval(actor: string, caseId: string): Promise<Outcome<ApprovalResult>> {
    return decisions.retryRemoval(this.ctx, actor, caseId);
  }

  /** GDAP relationships Graph refused to end (or could not list) are tried again */
  retryGdapEnding(actor: string, caseId: string, jobId: string): Promise<Outcome<{ requeued: number }>> {
    return gdap.retryGdapEnding(this.ctx, actor, caseId, jobId);
  }

  // ---- on their own ----------------------------------------------------------------------

  /** expires waiting requests past their window: single ones, batch customers' cases, and the batches */
  async expireDue(): Promise<StoredCase[]> {
    const expired = await decisions.expireDue(this.ctx);
    await batches.expireBatches(this.ctx);
    return expired;
  }

  /** reminds approvers of requests about to expire, single ones and batches, once each; returns the cases reminded */
  async remindDue(): Promise<StoredCase[]> {
    const reminded = await request.remindDue(this.ctx);
    await batches.remindBatches(this.ctx);
    return reminded;
  }

  /** every approved or removing case (after a crash), or those approved at least `stuckForMs` ago (the sweep) */
  resumeInterruptedRemovals(stuckForMs = 0): Promise<number> {
    return resumeInterruptedRemovals(this.ctx, stuckForMs);
  }

  // ---- portfolio clean-up ----------------------------------------------------------------

  startScan(actor: string, channelId: string): Promise<Outcome<scanning.ScanStarted>> {
    return scanning.startScan(this.ctx, actor, channelId);
  }

  scanStatus(actor: string): Promise<Outcome<scanning.ScanStatus | null>> {
    return scanning.scanStatus(this.ctx, actor);
  }

  scanProgress(jobId: string): Promise<scanning.ScanStatus | null> {
    return scanning.scanProgress(this.ctx, jobId);
  }

  scanReport(jobId: string): Promise<scanning.ScanReport | null> {
    return scanning.scanReport(this.ctx, jobId);
  }

  cleanupCandidates(actor: string, limit?: number): Promise<scanning.CleanupCandidates | null | undefined> {
    return scanning.cleanupCandidates(this.ctx, actor, BATCHABLE_CLASSES, limit);
  }

  placeScanMessage(jobId: string, ts: string, channelId: string): Promise<void> {
    return scanning.placeScanMessage(this.ctx, jobId, ts, channelId);
  }

  placeScanResult(jobId: string, ts: string, channelId: string): Promise<void> {
    return scanning.placeScanResult(this.ctx, jobId, ts, channelId);
  }

  // ---- batch removal ---------------------------------------------------------------------

  batchCandidates(actor: string): Promise<Outcome<batches.BatchCandidates>> {
    return batches.batchCandidates(this.ctx, actor);
  }

  checkBatchRequest(actor: string, selected: readonly string[], justification: string): Promise<Outcome<unknown>> {
    return batches.checkBatchRequest(this.ctx, actor, selected, justification);
  }

  requestBatch(actor: string, selected: readonly string[], justification: string): Promise<Outcome<BatchView>> {
    return batches.requestBatch(this.ctx, actor, selected, justification);
  }

  batchView(batchId: string): Promise<BatchView | null> {
    return batches.batchView(this.ctx, batchId);
  }

  approveBatch(actor: string, batchId: string, choices: { endGdap?: boolean | undefined } = {}): Promise<Outcome<BatchView>> {
    return batches.approveBatch(this.ctx, actor, batchId, choices);
  }

  rejectBatch(actor: string, batchId: string, reason: string): Promise<Outcome<BatchView>> {
    return batches.rejectBatch(this.ctx, actor, batchId, reason);
  }

  takeOutOfBatch(actor: string, batchId: string, tenantIds: readonly string[]): Promise<Outcome<BatchView>> {
    return batches.takeOutOfBatch(this.ctx, actor, batchId, tenantIds);
  }

  // ---- afterwards ------------------------------------------------------------------------

  relinkUrl(actor: string, tenantId: string | null): Promise<Outcome<string>> {
    return relink.relinkUrl(this.ctx, actor, tenantId);
  }
}
