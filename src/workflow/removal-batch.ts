// Batch removal requests (issue #17): an operator asks for up to 50 ready or suspend-only
// customers of the latest scan on one card; an approver other than the requester approves the
// batch, takes customers out of it, or rejects it. Every customer is an ordinary case: its request,
// decision, expiry and removal go through the same transitions and audit as a single one. The
// approval saves every case approved and one durable job per customer together
// (batch-removal-job.ts works them). Answers are data; the front end words them.
import crypto from "node:crypto";
import {
  BATCHABLE_CLASSES,
  type BatchCandidate,
  type BatchCheck,
  type RemovalCase,
  type ScanGdap,
  approve as approveCase,
  REMINDER_MAX_LEAD_MS,
  approveBatch as approveTransition,
  batchCase,
  batchReminderDue,
  cancel,
  checkBatchSelection,
  expireBatch,
  newBatch,
  openCase,
  reject as rejectCase,
  rejectBatch as rejectTransition,
  takeOut,
} from "../domain";
import { CaseAlreadyActiveError, type StoredBatch } from "../store";
import { ApprovalNotDelivered, type BatchChange, type BatchView } from "./ports";
import { type Outcome, refused, success } from "./results";
import { type WorkflowContext, describeError } from "./workflow-context";

/** tries per customer's job: a Partner Center hiccup is outlasted, a lasting fault is reported */
export const BATCH_JOB_ATTEMPTS = 5;
/** the most candidates offered: Block Kit's select takes 100 options per group, one group per class */
export const CANDIDATES_PER_CLASS = 100;

export interface BatchCandidates {
  scanJobId: string;
  customers: BatchCandidate[];
}

async function audited<T>(ctx: WorkflowContext, actor: string, action: string, checked: BatchCheck<T>, batchId: string | null): Promise<Outcome<T>> {
  if (checked.ok) return success(checked.value);
  return ctx.refuse(actor, action, "wrong_state", checked.refusal.message, null, { batchId, batchCode: checked.refusal.code });
}

async function batchEvent(ctx: WorkflowContext, actor: string, action: string, batchId: string, detail: Record<string, unknown> = {}): Promise<void> {
  await ctx.store.audit.append({ actor, action, outcome: "ok", caseId: null, tenantId: null, detail: { batchId, ...detail }, at: ctx.clock() });
}

function tell(ctx: WorkflowContext, batchId: string, change: BatchChange, facts: { actor: string; reason?: string }): void {
  try {
    ctx.batches?.batchChanged(batchId, change, facts);
  } catch (error) {
    ctx.logger.warn({ batchId, err: describeError(error) }, "batch observer failed");
  }
}

/** The latest finished scan's ready and suspend-only customers, for an operator to choose from. */
export async function batchCandidates(ctx: WorkflowContext, actor: string): Promise<Outcome<BatchCandidates>> {
  const permission = await ctx.permit(actor, "operate", "batch.request", null);
  if (!permission.ok) return permission;
  const scan = await ctx.store.scans.latest();
  if (!scan || scan.active) return refused("not_found", scan ? "The portfolio scan is still running; try again once it has finished." : "No portfolio scan has run yet: type `/offboard scan` first.");
  const lists = await Promise.all(BATCHABLE_CLASSES.map((c) => ctx.store.scans.results(scan.jobId, [c], CANDIDATES_PER_CLASS)));
  return success({ scanJobId: scan.jobId, customers: lists.flat() });
}

/** What can be checked without Partner Center before the modal closes: the selection against the latest scan and the open cases. */
export async function checkBatchRequest(ctx: WorkflowContext, actor: string, selected: readonly string[], justification: string): Promise<Outcome<BatchCandidate[]>> {
  const candidates = await batchCandidates(ctx, actor);
  if (!candidates.ok) return candidates;
  const active = new Map<string, string>();
  for (const tenantId of new Set(selected.map((t) => t.toLowerCase()))) {
    const open = await ctx.store.cases.findActiveByTenant(tenantId);
    if (open) active.set(tenantId, open.companyName);
  }
  const checked = checkBatchSelection({ selected, scanFinished: true, candidates: candidates.value.customers, activeCases: active, justification });
  return audited(ctx, actor, "batch.request", checked, null);
}

/** Requests removal of the chosen customers in one batch: the card is posted first, then everything is saved together. */
export async function requestBatch(ctx: WorkflowContext, actor: string, selected: readonly string[], justification: string): Promise<Outcome<BatchView>> {
  const checked = await checkBatchRequest(ctx, actor, selected, justification);
  if (!checked.ok) return checked;
  const scan = await ctx.store.scans.latest();
  const policy = await ctx.policy.current();
  const now = ctx.clock();
  const batch = newBatch({ id: crypto.randomUUID(), requestedBy: actor, now, approvalTtlMs: policy.approvalTtlMs, justification, scanJobId: scan?.jobId ?? "" });
  const cases = checked.value.map((candidate) => ({
    cleanupClass: candidate.cleanupClass,
    removalCase: batchCase(openCase({ id: crypto.randomUUID(), tenantId: candidate.tenantId.toLowerCase(), companyName: candidate.companyName, domain: candidate.domain, openedBy: actor, now }), batch),
  }));
  const members = cases.map(({ removalCase: c, cleanupClass }, position) => ({
    batchId: batch.id, tenantId: c.tenantId, caseId: c.id, position, companyName: c.companyName, domain: c.domain, cleanupClass, takenOut: false, outcome: null, outcomeReason: null, suspended: [], suspending: [],
  }));
  const stored = { ...batch, approvalMessage: null, finishedAt: null };
  const view: BatchView = { batch: stored, members, gdapEnabled: ctx.gdap !== null, scanGdap: await scanGdapOf(ctx, stored, members) };
  let posted;
  try {
    if (!ctx.batches) throw new ApprovalNotDelivered("no way to reach the approvers is set up");
    posted = await ctx.batches.deliver(view);
  } catch (error) {
    const why = error instanceof ApprovalNotDelivered ? error.message : describeError(error);
    await ctx.store.audit.append({ actor, action: "batch.request", outcome: "failed", detail: { error: why, customers: members.length }, at: now });
    return refused("not_delivered", `The batch request could not be sent, so nothing was requested: ${why}`);
  }
  try {
    await ctx.store.batches.create(batch, cases, posted);
  } catch (error) {
    await ctx.batches.retract(posted).catch(() => undefined);
    if (error instanceof CaseAlreadyActiveError) return ctx.refuse(actor, "batch.request", "wrong_state", error.message, null, { batchId: batch.id });
    throw error;
  }
  await batchEvent(ctx, actor, "batch.requested", batch.id, { customers: members.map((m) => m.tenantId), justification: batch.justification, expiresAt: batch.expiresAt.toISOString() });
  for (const { removalCase: c, cleanupClass } of cases) {
    await ctx.audit(actor, "removal.requested", "ok", c, null, { batchId: batch.id, cleanupClass, justification: batch.justification, expiresAt: c.expiresAt?.toISOString() });
  }
  return success({ ...view, batch: { ...view.batch, approvalMessage: posted } });
}

export async function batchView(ctx: WorkflowContext, batchId: string): Promise<BatchView | null> {
  const batch = await ctx.store.batches.get(batchId);
  if (!batch) return null;
  const members = await ctx.store.batches.members(batchId);
  return { batch, members, gdapEnabled: ctx.gdap !== null, scanGdap: await scanGdapOf(ctx, batch, members) };
}

/**
 * The scan's reading of each customer's GDAP relationships, for the approver deciding whether to
 * end them; only while the batch waits and GDAP is handled (afterwards the card tells outcomes).
 */
async function scanGdapOf(ctx: WorkflowContext, batch: StoredBatch, members: readonly { tenantId: string; takenOut: boolean }[]): Promise<Map<string, ScanGdap>> {
  if (ctx.gdap === null || batch.state !== "awaiting_approval" || !batch.scanJobId) return new Map();
  return ctx.store.scans.gdapOf(batch.scanJobId, members.filter((m) => !m.takenOut).map((m) => m.tenantId));
}

async function loadForApprover(ctx: WorkflowContext, actor: string, batchId: string, action: string): Promise<Outcome<BatchView>> {
  const view = await batchView(ctx, batchId);
  if (!view) return refused("not_found", "That batch request does not exist.");
  const permission = await ctx.permit(actor, "approve", action, null);
  if (!permission.ok) return permission;
  return success(view);
}

/** The cases of the customers still in the batch. */
async function casesOf(ctx: WorkflowContext, view: BatchView): Promise<RemovalCase[]> {
  const cases = await Promise.all(view.members.filter((m) => !m.takenOut).map((m) => ctx.store.cases.get(m.caseId)));
  return cases.filter((c): c is NonNullable<typeof c> => c !== null);
}

/**
 * Approves the batch: each customer's case through the case's own approve transition (four eyes,
 * expiry), all of it saved with one job per customer in one transaction. A case someone moved on
 * its own meanwhile (withdrawn, closed) is reported as not removed and left alone.
 */
export async function approveBatch(ctx: WorkflowContext, actor: string, batchId: string, choices: { endGdap?: boolean | undefined } = {}): Promise<Outcome<BatchView>> {
  const loaded = await loadForApprover(ctx, actor, batchId, "batch.approve");
  if (!loaded.ok) return loaded;
  const { batch } = loaded.value;
  // a repeated press (or the press's job tried again) by the approver who approved it changes nothing
  if (batch.decidedBy === actor && (batch.state === "approved" || batch.state === "done")) return loaded;
  const now = ctx.clock();
  // where the app ends GDAP relationships the press must carry the approver's choice (refused without)
  const moved = approveTransition(batch, actor, now, ctx.gdap ? choices.endGdap : null);
  if (!moved.ok && moved.refusal.code === "expired") await expireOne(ctx, batch);
  const next = await audited(ctx, actor, "batch.approve", moved, batchId);
  if (!next.ok) return next;
  const approved: RemovalCase[] = [];
  const skipped: Array<{ c: RemovalCase; why: string }> = [];
  for (const c of await casesOf(ctx, loaded.value)) {
    const step = approveCase(c, actor, now, batch.requestedAt);
    if (step.ok) approved.push(step.next);
    else skipped.push({ c, why: step.refusal.message });
  }
  const decision = { decidedBy: actor, decision: "approved" as const, reason: null, decidedAt: now };
  const jobs = approved.map((c) => ({ caseId: c.id, tenantId: c.tenantId }));
  if (!(await ctx.store.batches.approve(next.value, approved, decision, jobs, BATCH_JOB_ATTEMPTS))) {
    return ctx.refuse(actor, "batch.approve", "already_decided", "Someone else changed this batch or one of its cases first; look at the card again.", null, { batchId });
  }
  const endGdap = next.value.endGdap;
  await batchEvent(ctx, actor, "batch.approved", batchId, { customers: approved.length, skipped: skipped.length, ...(endGdap === null ? {} : { endGdap }) });
  for (const c of approved) {
    await ctx.audit(actor, "removal.approved", "ok", c, null, { batchId, ...(endGdap === null ? {} : { endGdap }) });
    // the same trail a single approval leaves (recordGdapChoice); the held job was saved with the approval
    if (endGdap === true) await ctx.audit(actor, "gdap.ending_held", "ok", c, null, { batchId, startsWhen: "Partner Center confirms the removal" });
    if (endGdap === false) await ctx.audit(actor, "gdap.kept", "ok", c, null, { batchId, why: "the approver chose not to end the GDAP relationships" });
  }
  for (const { c, why } of skipped) {
    await ctx.store.batches.recordOutcome(batchId, c.tenantId, "not_removed", why);
    await ctx.audit(actor, "removal.approve", "refused", c, null, { batchId, message: why });
  }
  tell(ctx, batchId, "approved", { actor });
  ctx.onBatchQueued();
  const view = await batchView(ctx, batchId);
  return view ? success(view) : refused("not_found", "That batch request does not exist.");
}

/** Rejects the batch with a reason: every customer's case is rejected with it. */
export async function rejectBatch(ctx: WorkflowContext, actor: string, batchId: string, reason: string): Promise<Outcome<BatchView>> {
  const loaded = await loadForApprover(ctx, actor, batchId, "batch.reject");
  if (!loaded.ok) return loaded;
  const now = ctx.clock();
  const next = await audited(ctx, actor, "batch.reject", rejectTransition(loaded.value.batch, actor, reason, now), batchId);
  if (!next.ok) return next;
  if (!(await ctx.store.batches.save(next.value))) return ctx.refuse(actor, "batch.reject", "already_decided", "Someone else decided this batch first.", null, { batchId });
  await batchEvent(ctx, actor, "batch.rejected", batchId, { reason: reason.trim() });
  for (const c of await casesOf(ctx, loaded.value)) {
    const moved = rejectCase(c, actor, reason, now);
    if (moved.ok && (await ctx.store.cases.saveTransition(moved.next, { decidedBy: actor, decision: "rejected", reason: reason.trim(), decidedAt: now }))) {
      await ctx.audit(actor, "removal.rejected", "ok", moved.next, null, { batchId, reason: reason.trim() });
    }
  }
  tell(ctx, batchId, "rejected", { actor, reason: reason.trim() });
  return success({ ...loaded.value, batch: { ...loaded.value.batch, ...next.value } });
}

/** Takes customers out of a waiting batch (an approver, or the requester): their cases are closed, nothing removed. */
export async function takeOutOfBatch(ctx: WorkflowContext, actor: string, batchId: string, tenantIds: readonly string[]): Promise<Outcome<BatchView>> {
  const view = await batchView(ctx, batchId);
  if (!view) return refused("not_found", "That batch request does not exist.");
  if (actor !== view.batch.requestedBy) {
    const permission = await ctx.permit(actor, "approve", "batch.take_out", null);
    if (!permission.ok) return permission;
  }
  const inBatch = view.members.filter((m) => !m.takenOut).map((m) => m.tenantId);
  const next = await audited(ctx, actor, "batch.take_out", takeOut(view.batch, inBatch, tenantIds, ctx.clock()), batchId);
  if (!next.ok) return next;
  if (!(await ctx.store.batches.takeOut(next.value.batch, next.value.out))) return ctx.refuse(actor, "batch.take_out", "already_decided", "Someone else changed this batch first.", null, { batchId });
  await batchEvent(ctx, actor, "batch.taken_out", batchId, { customers: next.value.out, cancelled: next.value.batch.state === "cancelled" });
  for (const member of view.members.filter((m) => next.value.out.includes(m.tenantId))) {
    const c = await ctx.store.cases.get(member.caseId);
    const moved = c ? cancel(c, ctx.clock()) : null;
    if (c && moved?.ok && (await ctx.store.cases.saveTransition(moved.next))) await ctx.audit(actor, "removal.taken_out", "ok", moved.next, null, { batchId });
  }
  tell(ctx, batchId, next.value.batch.state === "cancelled" ? "cancelled" : "taken_out", { actor });
  const after = await batchView(ctx, batchId);
  return after ? success(after) : refused("not_found", "That batch request does not exist.");
}

async function expireOne(ctx: WorkflowContext, batch: StoredBatch): Promise<boolean> {
  const moved = expireBatch(batch, ctx.clock());
  if (!moved.ok || !(await ctx.store.batches.save(moved.value))) return false;
  await batchEvent(ctx, "system", "batch.expired", batch.id, { expiresAt: batch.expiresAt.toISOString() });
  tell(ctx, batch.id, "expired", { actor: "system" });
  return true;
}

/** Reminds the approvers of waiting batches about to expire, once each (audited); returns how many. */
export async function remindBatches(ctx: WorkflowContext): Promise<number> {
  const now = ctx.clock();
  let reminded = 0;
  for (const batch of await ctx.store.batches.listUnreminded(new Date(now.getTime() + REMINDER_MAX_LEAD_MS))) {
    if (!batchReminderDue(batch, now) || !(await ctx.store.batches.markReminded(batch.id, now))) continue;
    await batchEvent(ctx, "system", "batch.reminded", batch.id, { expiresAt: batch.expiresAt.toISOString() });
    tell(ctx, batch.id, "reminder", { actor: "system" });
    reminded += 1;
  }
  return reminded;
}

/** Expires waiting batches whose window has passed (their cases expire as single requests do). */
export async function expireBatches(ctx: WorkflowContext): Promise<number> {
  let expired = 0;
  for (const batch of await ctx.store.batches.listExpired(ctx.clock())) if (await expireOne(ctx, batch)) expired += 1;
  return expired;
}
