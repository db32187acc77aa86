import type { CaseState, PermissionCode, Refusal } from "../domain";

export type UseCaseRefusalCode =
  | Refusal["code"]
  | PermissionCode
  | "not_delivered"
  | "not_found"
  | "already_decided"
  | "no_relationship"
  | "partner_center"
  | "not_actionable"
  /** a batch customer's case, decided only on its batch's card while the batch waits */
  | "batch_member";

/** Someone decided on the removal first: who, what, and where the case is now. */
export interface DecisionTaken {
  decidedBy: string;
  decision: "approved" | "rejected";
  reason: string | null;
  state: CaseState;
}

export interface UseCaseRefusal {
  code: UseCaseRefusalCode;
  /** plain text without any front end's markup: what the audit trail keeps, and what a front end shows when it has nothing better */
  message: string;
  /** no_relationship: the customer, so a front end can offer its own way to ask for a new relationship */
  customer?: { companyName: string; domain: string };
  /** the removal was already decided: for a front end to name the person its own way */
  decided?: DecisionTaken;
  /** batch_member: where the batch's card is, for a front end to point at it */
  batchCard?: { channelId: string; ts: string } | null;
}

/** Every use case answers with either its value or a refusal a person can read. */
export type Outcome<T> = { ok: true; value: T } | { ok: false; refusal: UseCaseRefusal };

export type RefusalDetail = Pick<UseCaseRefusal, "customer" | "decided" | "batchCard">;

export function success<T>(value: T): Outcome<T> {
  return { ok: true, value };
}

export function refused<T>(code: UseCaseRefusalCode, message: string, detail: RefusalDetail = {}): Outcome<T> {
  return { ok: false, refusal: { code, message, ...detail } };
}
