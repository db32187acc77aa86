// What the workflow needs from around it, as small interfaces: the Slack layer (or any other
// front end) implements the observer; main wires the rest.
import type { AccessPolicy, CustomerSnapshot, PreconditionResult } from "../domain";
import type { Job, JobProgress, StoredCase } from "../store";
import type { GdapView } from "./gdap-ending";

export type Clock = () => Date;

/** Resolves who may operate and approve right now (a Slack user group can change). */
export interface PolicyProvider {
  current(): Promise<AccessPolicy>;
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
  | "gdap_finished";

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
  /** `view`, when given, is the case as it was just read, fresh enough to show */
  caseChanged(caseId: string, change: CaseChange, view?: FreshView): void;
  jobProgress(caseId: string, jobId: string, progress: JobProgress): void;
  /** tell the person who asked for it that the work has stopped for good */
  workGaveUp(notice: GaveUpNotice): void;
}

export const ignoringObserver: CaseObserver = { caseChanged: () => undefined, jobProgress: () => undefined, workGaveUp: () => undefined };
