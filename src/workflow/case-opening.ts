// Opening a case for a customer (or finding the one already active) and re-checking it live.
import crypto from "node:crypto";
import { type CustomerSnapshot, openCase } from "../domain";
import { CaseAlreadyActiveError, type StoredCase } from "../store";
import { loadSnapshot } from "./customer-snapshot";
import { isRelationshipGone } from "./relationship-gone";
import type { CaseView } from "./ports";
import { type Outcome, success } from "./results";
import { type WorkflowContext, describeError } from "./workflow-context";
import { composeView, viewCase, viewOf, withGdap } from "./case-views";

/** Opens a case for a customer, or returns the one already active. */
export async function startCase(ctx: WorkflowContext, actor: string, tenantId: string): Promise<Outcome<CaseView>> {
  const permission = await ctx.permit(actor, "operate", "case.open", { tenantId });
  if (!permission.ok) return permission;
  const existing = await ctx.store.cases.findActiveByTenant(tenantId);
  if (existing) {
    const view = await viewOf(ctx, existing);
    // its customer turned out to be gone: the case has ended; say why
    if (view.ok && view.value.snapshot.customer.relationshipToPartner === "none") return ctx.noRelationship(actor, "case.open", tenantId, existing);
    return view;
  }
  let snapshot: CustomerSnapshot;
  try {
    snapshot = await loadSnapshot(ctx.partnerCenter, tenantId, ctx.clock());
  } catch (error) {
    // 20002: Partner Center's way of saying the relationship is gone
    if (isRelationshipGone(error)) return ctx.noRelationship(actor, "case.open", tenantId);
    return ctx.refuse(actor, "case.open", "partner_center", `Could not read the customer from Partner Center: ${describeError(error)}`, { tenantId });
  }
  const customer = snapshot.customer;
  if (customer.relationshipToPartner === "none") return ctx.noRelationship(actor, "case.open", tenantId, customer);
  const fresh = openCase({ id: crypto.randomUUID(), tenantId, companyName: customer.companyName, domain: customer.domain, openedBy: actor, now: ctx.clock() });
  let stored: StoredCase;
  try {
    stored = await ctx.store.cases.create(fresh);
  } catch (error) {
    // two operators opened the same customer at once: both land on the one case
    if (error instanceof CaseAlreadyActiveError) {
      const winner = await ctx.store.cases.findActiveByTenant(tenantId);
      if (winner) return viewCase(ctx, winner.id);
    }
    throw error;
  }
  await ctx.audit(actor, "case.opened", "ok", stored, null, { companyName: customer.companyName });
  const view = await withGdap(ctx, composeView(ctx, stored, snapshot, null));
  ctx.notify(stored.id, "opened", view, { actor });
  return success(view);
}

export async function recheck(ctx: WorkflowContext, actor: string, caseId: string): Promise<Outcome<CaseView>> {
  const view = await viewCase(ctx, caseId);
  // the observer gets the view just read, so it does not read Partner Center a second time
  if (view.ok) ctx.notify(caseId, "rechecked", view.value);
  // the customer turned out to be gone (the case has ended): say so plainly
  const c = view.ok ? view.value.removalCase : null;
  if (c && view.ok && view.value.snapshot.customer.relationshipToPartner === "none") return ctx.noRelationship(actor, "case.recheck", c.tenantId, c);
  return view;
}
