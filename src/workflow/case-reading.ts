// Reading: a case with a live view, the open cases, a customer's audit trail, the customer
// picker's search, a user's home. Reading needs rights too: an operator's or an approver's.
import type { Customer } from "../domain";
import type { AuditEvent, MessageRef, StoredCase } from "../store";
import type { CaseView } from "./ports";
import { type SetupShown, setupForHome } from "./setup-checks";
import { type Outcome, refused, success } from "./results";
import type { WorkflowContext } from "./workflow-context";
import { waitsOnBatchCard } from "./batch-membership";
import { viewCase as readView } from "./case-views";

export interface HomeSummary {
  /** false: the person may not see cases; nothing else is filled in */
  mayRead: boolean;
  myCases: StoredCase[];
  awaitingMe: StoredCase[];
  /** batches another operator asked for, decided on their card (its members are not in awaitingMe) */
  batchesAwaitingMe: WaitingBatch[];
  isApprover: boolean;
  /** for approvers (who act as admins): what will fail, e.g. no App+User token for removals */
  warnings: string[];
  /** the app ends GDAP relationships on approval when asked (Graph configured): each Approve comes with the choice */
  gdapEnabled: boolean;
  /** for admins (the approvers): the set-up checks as last run; null for anyone else or without checks */
  setup: SetupShown | null;
}

/** A batch request waiting for approval, as the Home tab names it: where its card is, how many customers. */
export interface WaitingBatch {
  id: string;
  requestedBy: string;
  customers: number;
  expiresAt: Date;
  justification: string;
  card: MessageRef | null;
}

/** The case with a live read of Partner Center and the preconditions evaluated on it. */
export function viewCase(ctx: WorkflowContext, caseId: string): Promise<Outcome<CaseView>> {
  return readView(ctx, caseId);
}

/** The case as stored, without permission or Partner Center: for a front end keeping its messages in step. */
export async function caseRecord(ctx: WorkflowContext, caseId: string): Promise<StoredCase | null> {
  return ctx.store.cases.get(caseId);
}

export async function listOpenCases(ctx: WorkflowContext, actor: string): Promise<Outcome<StoredCase[]>> {
  const permission = await ctx.permit(actor, "read", "cases.list", null);
  if (!permission.ok) return permission;
  return success(await ctx.store.cases.listActive());
}

export async function auditTrail(ctx: WorkflowContext, actor: string, tenantId: string): Promise<Outcome<AuditEvent[]>> {
  const permission = await ctx.permit(actor, "read", "audit.read", { tenantId });
  if (!permission.ok) return permission;
  return success(await ctx.store.audit.listByTenant(tenantId, 100));
}

/** The customers matching what someone typed (company name, domain or tenant id). */
export async function findCustomers(ctx: WorkflowContext, actor: string, query: string, limit: number): Promise<Outcome<Customer[]>> {
  const permission = await ctx.permit(actor, "read", "customers.search", null);
  if (!permission.ok) return permission;
  if (!ctx.customers) return refused("not_found", "Customer search is not available.");
  return success(await ctx.customers.search(query, limit));
}

/**
 * What a user's home shows: their own active cases and the requests waiting for them. Someone
 * without rights sees none of it; opening the tab asks for nothing, so it is not audited.
 */
export async function homeFor(ctx: WorkflowContext, userId: string): Promise<HomeSummary> {
  const [reader, approver, admin] = await Promise.all([ctx.checkRole(userId, "read"), ctx.checkRole(userId, "approve"), ctx.checkRole(userId, "administer")]);
  if (!reader.ok) return { mayRead: false, myCases: [], awaitingMe: [], batchesAwaitingMe: [], isApprover: false, warnings: [], setup: null, gdapEnabled: false };
  const [active, batches] = await Promise.all([ctx.store.cases.listActive(100), approver.ok ? ctx.store.batches.listWaiting() : []]);
  const waiting = approver.ok ? active.filter((c) => c.state === "awaiting_approval" && c.requestedBy !== userId) : [];
  // a batch customer waiting on its batch's card is decided there, not from the Home tab
  const onCard = await Promise.all(waiting.map((c) => waitsOnBatchCard(ctx, c)));
  return {
    mayRead: true,
    myCases: active.filter((c) => c.openedBy === userId || c.requestedBy === userId),
    awaitingMe: waiting.filter((_, i) => !onCard[i]),
    // the requester cannot approve their own batch (the domain refuses it): not waiting for them
    batchesAwaitingMe: batches
      .filter((b) => b.requestedBy !== userId && b.customers > 0)
      .map((b) => ({ id: b.id, requestedBy: b.requestedBy, customers: b.customers, expiresAt: b.expiresAt, justification: b.justification, card: b.approvalMessage })),
    isApprover: approver.ok,
    warnings: approver.ok ? await ctx.credentialWarnings() : [],
    setup: admin.ok ? setupForHome(ctx) : null,
    gdapEnabled: ctx.gdap !== null,
  };
}
