// Reading: a case with a live view, the open cases, a customer's audit trail, a user's home.
import { mayApprove } from "../domain";
import type { AuditEvent, StoredCase } from "../store";
import type { CaseView } from "./ports";
import type { Outcome } from "./results";
import type { WorkflowContext } from "./workflow-context";

export interface HomeSummary {
  myCases: StoredCase[];
  awaitingMe: StoredCase[];
  isApprover: boolean;
  /** for approvers (who act as admins): what will fail, e.g. no App+User token for removals */
  warnings: string[];
}

/** The case with a live read of Partner Center and the preconditions evaluated on it. */
export function viewCase(ctx: WorkflowContext, caseId: string): Promise<Outcome<CaseView>> {
  return ctx.viewCase(caseId);
}

export function listOpenCases(ctx: WorkflowContext): Promise<StoredCase[]> {
  return ctx.store.cases.listActive();
}

export function auditTrail(ctx: WorkflowContext, tenantId: string): Promise<AuditEvent[]> {
  return ctx.store.audit.listByTenant(tenantId, 100);
}

/** What a user's home shows: their own active cases and the requests waiting for them. */
export async function homeFor(ctx: WorkflowContext, userId: string): Promise<HomeSummary> {
  const [policy, active] = await Promise.all([ctx.policy.current(), ctx.store.cases.listActive(100)]);
  const isApprover = mayApprove(policy, userId);
  return {
    myCases: active.filter((c) => c.openedBy === userId || c.requestedBy === userId),
    awaitingMe: isApprover ? active.filter((c) => c.state === "awaiting_approval" && c.requestedBy !== userId) : [],
    isApprover,
    warnings: isApprover ? await ctx.credentialWarnings() : [],
  };
}
