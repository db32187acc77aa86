// What every use case shares: the workflow's dependencies and the steps they all take. A
// refusal leaves an audit event; a case is loaded only for someone allowed to work on it; a
// transition is saved only if nobody moved the case first. How a case is shown (a live read
// with its preconditions) is in case-views.ts.
import {
  type CustomerSnapshot,
  type PermissionCheck,
  type PreconditionResult,
  type Refusal,
  type RemovalCase,
  type Subscription,
  type Transition,
  cancel,
  confirmRemoval,
  evaluatePreconditions,
  isActive,
} from "../domain";
import type { GdapApi } from "../graph/gdap-api";
import { type Logger, silentLogger } from "../logger";
import { PartnerCenterError, type PartnerCenterApi } from "../partner-center/partner-center-api";
import type { AuditEventInput, AuditOutcome, Job, JobItem, MessageRef, Store, StoredCase } from "../store";
import { loadSnapshot } from "./customer-snapshot";
import { type Role, checkRole } from "./permissions";
import { followBatchCase } from "./batch-outcomes";
import { releaseGdapEnding } from "./gdap-ending";
import { NO_RELATIONSHIP_MESSAGE, READ_ANSWERED_20002, isRelationshipGone } from "./relationship-gone";
import {
  type ApprovalRequests,
  type BatchFrontEnd,
  type CaseChange,
  type CaseObserver,
  type ChangeFacts,
  type Clock,
  type CustomerDirectory,
  type FreshView,
  type PolicyProvider,
  type SetupChecks,
  ignoringObserver,
} from "./ports";
import { type DecisionTaken, type Outcome, type RefusalDetail, type UseCaseRefusalCode, refused, success } from "./results";
import { noteCase } from "./job-trace";

export interface WorkflowDeps {
  store: Store;
  partnerCenter: PartnerCenterApi;
  policy: PolicyProvider;
  clock?: Clock;
  logger?: Logger;
  observer?: CaseObserver;
  /**
   * started by Suspend all; the runner works persisted jobs. A new job comes with the
   * subscriptions just read (full resources), so the runner need not read them again.
   */
  onJobQueued?: (queued?: QueuedJob) => void;
  /** a portfolio scan was queued: its runner looks now */
  onScanQueued?: () => void;
  /** what an admin must know about the Partner Center credentials (no App+User token, …) */
  credentialWarnings?: () => Promise<string[]>;
  /** Microsoft Graph for GDAP relationships; null or absent: the app leaves them alone */
  gdap?: GdapApi | null;
  /** a GDAP ending may start now (a removal confirmed, a retry queued); its runner looks at once */
  onGdapEndingQueued?: () => void;
  /** where the customer picker searches */
  customers?: CustomerDirectory;
  /** the app's set-up checks (npm run doctor's), for admins; absent: none are shown */
  setupChecks?: SetupChecks;
  /** a batch was approved: its customers' jobs may be worked now */
  onBatchQueued?: () => void;
}

/** A job just queued: the job and its items as written, and the customer's subscriptions as read when it was made. */
export interface QueuedJob {
  job: Job;
  tenantId: string;
  items: JobItem[];
  subscriptions: Subscription[];
}


/** An open case, permission checked, with a live snapshot: what every operator step starts from. */
export interface OperableCase {
  removalCase: StoredCase;
  snapshot: CustomerSnapshot;
  preconditions: PreconditionResult;
}

/** Who and where a refusal is about, for its audit event. */
type Subject = { id?: string; tenantId?: string | null } | null;

export function describeError(error: unknown): string {
  if (error instanceof PartnerCenterError) return error.message;
  return error instanceof Error ? error.message : String(error);
}

export function requestIdOf(error: unknown): string | null {
  return error instanceof PartnerCenterError ? (error.details.requestId ?? null) : null;
}

const stateWords = (c: RemovalCase) => c.state.replace("_", " ");

export class WorkflowContext {
  readonly store: Store;
  readonly partnerCenter: PartnerCenterApi;
  readonly policy: PolicyProvider;
  readonly clock: Clock;
  readonly logger: Logger;
  readonly onJobQueued: (queued?: QueuedJob) => void;
  readonly onScanQueued: () => void;
  readonly credentialWarnings: () => Promise<string[]>;
  readonly gdap: GdapApi | null;
  readonly onGdapEndingQueued: () => void;
  readonly customers: CustomerDirectory | null;
  readonly setupChecks: SetupChecks | null;
  readonly onBatchQueued: () => void;
  observer: CaseObserver;
  /** set by the front end that can reach approvers; without one no request is sent */
  approvals: ApprovalRequests | null = null;
  /** the front end that shows batch requests to approvers */
  batches: BatchFrontEnd | null = null;

  constructor(deps: WorkflowDeps) {
    this.store = deps.store;
    this.partnerCenter = deps.partnerCenter;
    this.policy = deps.policy;
    this.clock = deps.clock ?? (() => new Date());
    this.logger = deps.logger ?? silentLogger;
    this.observer = deps.observer ?? ignoringObserver;
    this.onJobQueued = deps.onJobQueued ?? (() => undefined);
    this.onScanQueued = deps.onScanQueued ?? (() => undefined);
    this.credentialWarnings = deps.credentialWarnings ?? (async () => []);
    this.gdap = deps.gdap ?? null;
    this.onGdapEndingQueued = deps.onGdapEndingQueued ?? (() => undefined);
    this.customers = deps.customers ?? null;
    this.setupChecks = deps.setupChecks ?? null;
    this.onBatchQueued = deps.onBatchQueued ?? (() => undefined);
  }

  // ---- permission ------------------------------------------------------------------------

  /** Whether `actor` may act in `role`: the domain decides on the facts; a refusal is audited as `action`. */
  async permit(actor: string, role: Role, action: string, subject: Subject): Promise<Outcome<null>> {
    const check = await this.checkRole(actor, role);
    if (check.ok) return success(null);
    return this.refuse(actor, action, check.code, check.message, subject);
  }

  /** The domain's answer for `actor` in `role`, unaudited; facts that cannot be had refuse. */
  checkRole(actor: string, role: Role): Promise<PermissionCheck> {
    return checkRole(this.policy, this.logger, actor, role);
  }

  // ---- loading -------------------------------------------------------------------------

  async loadCase(caseId: string): Promise<Outcome<StoredCase>> {
    const removalCase = await this.store.cases.get(caseId);
    return removalCase ? success(removalCase) : refused("not_found", "That case does not exist.");
  }

  /** A case still active, for an operator. */
  async loadCaseForOperator(actor: string, caseId: string, action: string): Promise<Outcome<StoredCase>> {
    const loaded = await this.loadCase(caseId);
    if (!loaded.ok) return loaded;
    const removalCase = loaded.value;
    const permission = await this.permit(actor, "operate", action, removalCase);
    if (!permission.ok) return permission;
    if (!isActive(removalCase.state)) {
      return this.refuse(actor, action, "wrong_state", `The case for ${removalCase.companyName} is ${removalCase.state}; nothing more can be done on it.`, removalCase);
    }
    return success(removalCase);
  }

  async loadOperable(actor: string, caseId: string, action: string): Promise<Outcome<OperableCase>> {
    const loaded = await this.loadCaseForOperator(actor, caseId, action);
    if (!loaded.ok) return loaded;
    const removalCase = loaded.value;
    if (removalCase.state !== "open") {
      return this.refuse(actor, action, "wrong_state", `The case for ${removalCase.companyName} is ${stateWords(removalCase)}; that button no longer applies.`, removalCase);
    }
    try {
      const snapshot = await loadSnapshot(this.partnerCenter, removalCase.tenantId, this.clock());
      return success({ removalCase, snapshot, preconditions: evaluatePreconditions(snapshot, this.clock()) });
    } catch (error) {
      if (isRelationshipGone(error)) return this.caseWithoutRelationship(actor, removalCase, READ_ANSWERED_20002);
      return refused("partner_center", `Could not read ${removalCase.companyName} from Partner Center: ${describeError(error)}`);
    }
  }

  // ---- saving --------------------------------------------------------------------------

  /** Saves a transition, or refuses: the domain said no, or someone else moved the case first. */
  async saveOrRefuse(
    actor: string,
    action: string,
    current: StoredCase,
    moved: Transition,
    decision?: Parameters<Store["cases"]["saveTransition"]>[1],
    approvalMessage?: MessageRef,
  ): Promise<Outcome<StoredCase>> {
    if (!moved.ok) return this.refuseMove(actor, action, current, moved.refusal);
    if (!(await this.store.cases.saveTransition(moved.next, decision, approvalMessage))) {
      const latest = (await this.store.cases.get(current.id)) ?? current;
      const decided = await this.decisionOn(latest);
      const message = decided ? describeDecision(decided) : `Someone else changed this case first; it is now ${stateWords(latest)}.`;
      return this.refuse(actor, action, "already_decided", message, latest, {}, decided ? { decided } : {});
    }
    return success({ ...current, ...moved.next, ...(approvalMessage ? { approvalMessage } : {}) });
  }

  /** The domain said no to a move: audited, and worded as the decision already taken where there is one. */
  async refuseMove<T>(actor: string, action: string, current: StoredCase, refusal: Refusal): Promise<Outcome<T>> {
    const decided = await this.decisionOn(current);
    if (decided) return this.refuse(actor, action, refusal.code, describeDecision(decided), current, {}, { decided });
    return this.refuse(actor, action, refusal.code, refusal.message, current);
  }

  /** "Already approved by X" reads better than "wrong state" for the second approver. */
  private async decisionOn(c: RemovalCase): Promise<DecisionTaken | null> {
    if (c.state === "awaiting_approval" || c.state === "open") return null;
    const decision = await this.store.cases.getDecision(c.id);
    if (!decision) return null;
    return { decidedBy: decision.decidedBy, decision: decision.decision, reason: decision.reason, state: c.state };
  }

  // ---- the relationship is gone ------------------------------------------------------------

  /** The refusal for a customer without a relationship, with the customer for the front end's relink offer. */
  async noRelationship<T>(actor: string, action: string, tenantId: string, known?: { companyName: string; domain: string }): Promise<Outcome<T>> {
    await this.store.directory.setRelationship(tenantId, "none");
    const customer = known ?? (await this.store.directory.get(tenantId)) ?? undefined;
    const params = customer ? { customer: { companyName: customer.companyName, domain: customer.domain } } : {};
    return this.refuse(actor, action, "no_relationship", NO_RELATIONSHIP_MESSAGE, { tenantId }, {}, params);
  }

  /**
   * Ends an active case whose relationship a read showed gone, so none is left open: one nobody
   * approved is closed (we removed nothing); an approved, removing or failed one is confirmed
   * removed. `how` says what was read, for the audit.
   */
  async endCaseWithoutRelationship(actor: string, c: StoredCase, how: string, pcRequestId: string | null = null): Promise<StoredCase> {
    await this.store.directory.setRelationship(c.tenantId, "none");
    const removedByUs = c.state === "approved" || c.state === "removing" || c.state === "failed";
    const moved = removedByUs ? confirmRemoval(c, this.clock()) : cancel(c, this.clock());
    if (!moved.ok || !(await this.store.cases.saveTransition(moved.next))) return (await this.store.cases.get(c.id)) ?? c;
    const stored: StoredCase = { ...c, ...moved.next };
    await this.audit(actor, removedByUs ? "relationship.removed" : "case.closed_no_relationship", "ok", stored, pcRequestId, { confirmedBy: how });
    this.notify(c.id, removedByUs ? "removed" : "cancelled", undefined, { actor, requester: c.requestedBy });
    // confirmed removed: a GDAP ending its approval chose may start, a batch's report follows
    if (removedByUs) {
      await releaseGdapEnding(this, c.id);
      await followBatchCase(this, stored);
    }
    return stored;
  }

  /** What Partner Center's 20002 says about a customer: no relationship, nothing held that we can see. */
  goneSnapshot(c: StoredCase): CustomerSnapshot {
    return {
      customer: { tenantId: c.tenantId, companyName: c.companyName, domain: c.domain, relationshipToPartner: "none" },
      subscriptions: [],
      azureSubscriptions: [],
      reservations: [],
      softwarePurchases: [],
      unrecognised: [],
      takenAt: this.clock(),
    };
  }

  private async caseWithoutRelationship<T>(actor: string, c: StoredCase, how: string): Promise<Outcome<T>> {
    await this.endCaseWithoutRelationship(actor, c, how);
    return refused("no_relationship", NO_RELATIONSHIP_MESSAGE, { customer: { companyName: c.companyName, domain: c.domain } });
  }

  // ---- telling -------------------------------------------------------------------------

  /** Refuses, and leaves the refusal in the audit trail with its code, message and parameters. */
  async refuse<T>(
    actor: string,
    action: string,
    code: UseCaseRefusalCode,
    message: string,
    subject: Subject,
    detail: Record<string, unknown> = {},
    params: RefusalDetail = {},
  ): Promise<Outcome<T>> {
    const caseId = subject && "id" in subject ? (subject.id ?? null) : null;
    if (caseId) noteCase(caseId);
    await this.store.audit.append({
      actor,
      action,
      outcome: "refused",
      caseId,
      tenantId: subject?.tenantId ?? null,
      detail: { ...detail, ...params, code, message },
      at: this.clock(),
    });
    return refused(code, message, params);
  }

  async audit(actor: string, action: string, outcome: AuditOutcome, c: RemovalCase, pcRequestId: string | null, detail: Record<string, unknown> = {}): Promise<void> {
    await this.store.audit.append(this.auditEvent(actor, action, outcome, c, pcRequestId, detail));
  }

  /** The event `audit` appends, for a repository that writes it in the same transaction as the change. */
  auditEvent(actor: string, action: string, outcome: AuditOutcome, c: RemovalCase, pcRequestId: string | null, detail: Record<string, unknown> = {}): AuditEventInput {
    // the job at work (if any) names the case in its log line
    noteCase(c.id);
    return { actor, action, outcome, caseId: c.id, tenantId: c.tenantId, pcRequestId, detail: { ...detail, state: c.state }, at: this.clock() };
  }

  notify(caseId: string, change: CaseChange, view?: FreshView, facts?: ChangeFacts): void {
    try {
      this.observer.caseChanged(caseId, change, view, facts);
    } catch (error) {
      this.logger.warn({ caseId, err: describeError(error) }, "case observer failed");
    }
  }
}

/** The decision in plain words (the audit trail keeps it; front ends may name the person their own way). */
function describeDecision(d: DecisionTaken): string {
  return d.decision === "approved"
    ? `${d.decidedBy} already approved this removal; the case is ${d.state.replace("_", " ")}.`
    : `${d.decidedBy} already rejected this removal${d.reason ? `: ${d.reason}` : "."}`;
}
