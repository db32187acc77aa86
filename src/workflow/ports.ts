// What the workflow needs from around it, as small interfaces: the Slack layer (or any other
// front end) implements the observer; main wires the rest.
import type { AccessPolicy, BillingNotice, Customer, ItemAction, CustomerSnapshot, PersonFacts, PreconditionResult, ScanGdap } from "../domain";
import type { BatchMember, Job, JobProgress, MessageRef, StoredBatch, StoredCase } from "../store";
import type { GdapView } from "./gdap-ending";

export type Clock = () => Date;

/**
 * Resolves who may operate and approve right now (a Slack user group can change), and what is
 * known about a person. The front end gathers the facts; the domain's policy decides on them.
 */
export interface PolicyProvider {
  current(): Promise<AccessPolicy>;
  /** what the front end knows about the person; facts it could not get come back as "unknown" */
  describe(userId: string): Promise<PersonFacts>;
}

/** One of the app's set-up checks (those of `npm run doctor`) as last run; never holds a secret. */
export interface SetupCheckLine {
  name: string;
  status: "ok" | "failed" | "skipped";
  detail: string;
  /** what to do, for a failed check */
  fix?: string | undefined;
}

export interface SetupReport {
  checkedAt: Date;
  checks: SetupCheckLine[];
}

/**
 * The set-up checks call Slack, Partner Center and Graph, so they are run now and then and the
 * last run is kept: readers are shown that, with its age, rather than a run of their own.
 */
export interface SetupChecks {
  /** the last finished run, or null before the first */
  latest(): SetupReport | null;
  running(): boolean;
  /** runs them, unless one is under way (joined) or one finished less than `freshMs` ago (returned) */
  refresh(freshMs?: number): Promise<SetupReport>;
}

/** Where the customer picker searches (the local directory, kept in step with Partner Center). */
export interface CustomerDirectory {
  search(query: string, limit: number): Promise<Customer[]>;
}

/** The approval request could not be put in front of the approvers; the message says why, plainly. */
export class ApprovalNotDelivered extends Error {
  override name = "ApprovalNotDelivered";
}

/** What an approval request shows besides the case: what keeps billing, and the GDAP relationships (and the choice about them). */
export interface RequestShown {
  notices: BillingNotice[];
  gdap?: GdapView | undefined;
}

/**
 * Puts a removal request in front of the approvers. The workflow saves a request only after it
 * was delivered, so a request either reached the approvers or did not happen.
 */
export interface ApprovalRequests {
  /**
   * Posts the request (the case as it will be saved, and what keeps billing after removal, for
   * the approver to accept); throws ApprovalNotDelivered when it cannot.
   */
  deliver(request: StoredCase, shown: RequestShown): Promise<MessageRef>;
  /** Takes back a delivered request that was not saved after all (someone moved the case first). */
  retract(message: MessageRef, request: StoredCase): Promise<void>;
}

export type CaseChange =
  | "opened"
  | "rechecked"
  | "subscription_changed"
  | "job_started"
  | "job_finished"
  | "removal_requested"
  | "approved"
  | "reopened"
  | "rejected"
  | "expired"
  | "cancelled"
  | "removed"
  | "failed"
  | "gdap_progress"
  | "gdap_finished"
  | "withdrawn"
  | "reminder";

/** Who made a change and what it was about, so a front end can tell the people concerned. */
export interface ChangeFacts {
  /** who made the change; "system" for expiry, reminders and resumed work */
  actor: string;
  /** who asked for removal, when the change concerns their request (they are told) */
  requester?: string | null;
  /** the subscription or purchase that was changed, and how */
  item?: { name: string; action: ItemAction };
  /** the requester's justification for a removal request */
  justification?: string;
  /** a rejection's reason, or why a removal failed */
  reason?: string;
  /** a Suspend-all job: how many items, and how they ended */
  job?: { total: number; done?: number; failed?: number };
  /** the approval message of an earlier request for this case, which a newer one replaces */
  supersededApproval?: MessageRef;
  /** after a removal: the link the customer follows to accept a reseller relationship again */
  relinkUrl?: string | null;
}

/** A case as people see it: with a live read of Partner Center and the preconditions evaluated on it. */
export interface CaseView {
  removalCase: StoredCase;
  snapshot: CustomerSnapshot;
  preconditions: PreconditionResult;
  job: { job: Job; progress: JobProgress; failed: Array<{ subscriptionId: string; label: string; lastError: string | null }> } | null;
  /** the customer's GDAP relationships and their ending; absent when the app leaves GDAP alone */
  gdap?: GdapView | undefined;
}

/**
 * The case as a use case read it after a change, handed on so the front end need not read
 * Partner Center again: at once, or still being read (null if that read failed). Handing on
 * the read under way keeps changes in the order they happened.
 */
export type FreshView = CaseView | Promise<CaseView | null>;

/** Work that will not be tried again (out of attempts), for the person who asked for it. */
export interface GaveUpNotice {
  caseId: string;
  userId: string;
  /** what was asked for, in a few words ("Suspend all") */
  what: string;
  /** the last attempt's error */
  error: string;
}

/** Told when a case changes, so front ends can update what people see. Must not throw. */
export interface CaseObserver {
  /** `view`, when given, is the case as it was just read, fresh enough to show; `facts` say who did what */
  caseChanged(caseId: string, change: CaseChange, view?: FreshView, facts?: ChangeFacts): void;
  jobProgress(caseId: string, jobId: string, progress: JobProgress): void;
  /** tell the person who asked for it that the work has stopped for good */
  workGaveUp(notice: GaveUpNotice): void;
}

export const ignoringObserver: CaseObserver = { caseChanged: () => undefined, jobProgress: () => undefined, workGaveUp: () => undefined };

/** A batch request with its customers, as the front end shows it. */
export interface BatchView {
  batch: StoredBatch;
  members: BatchMember[];
  /** the app ends GDAP relationships on approval when asked (Graph configured): the card offers the box */
  gdapEnabled: boolean;
  /** while it waits, each customer's GDAP relationships as the scan it was chosen from read them (tenant id in lower case) */
  scanGdap: ReadonlyMap<string, ScanGdap>;
}

/**
 * followed: a customer's outcome changed after the report, as its case moved on (the sweep removed
 * it); reminder: the batch expires soon and nobody decided it
 */
export type BatchChange = "approved" | "rejected" | "taken_out" | "expired" | "cancelled" | "progress" | "finished" | "followed" | "reminder";

/**
 * Puts batch requests in front of the approvers and keeps them told. As with single requests, a
 * batch is saved only after its card was delivered.
 */
export interface BatchFrontEnd {
  /** posts the card; throws ApprovalNotDelivered when it cannot */
  deliver(view: BatchView): Promise<MessageRef>;
  retract(message: MessageRef): Promise<void>;
  /** must not throw */
  /** `tenantId`: the customer whose outcome a "followed" change revised */
  batchChanged(batchId: string, change: BatchChange, facts: { actor: string; reason?: string; tenantId?: string }): void;
}
