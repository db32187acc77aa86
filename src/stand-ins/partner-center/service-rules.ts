// Partner Center's own rules, as the emulator enforces them: what keeps a relationship from being
// removed, and which subscription changes the service accepts (a full resource with If-Match,
// one change at a time, the new-commerce window, the Azure plan's 900115).
import { HttpError } from "./answers";
import type { EmuCustomer, EmuOrder, EmuReservation, EmuSubscription } from "./emulator-state";

/** The code the emulator uses for "remove while something still blocks"; Partner Center documents none. */
export const REMOVAL_BLOCKED_CODE = 800112;
export const ETAG_MISMATCH_CODE = 800036;
export const AZURE_PLAN_ACTIVE_CODE = 900115;

const ago = (iso: string | undefined, now: number) => iso !== undefined && Date.parse(iso) < now;

export function reservationLive(r: EmuReservation, now: number): boolean {
  return !["cancelled", "expired", "returned"].includes(r.provisioningState.toLowerCase()) && !ago(r.expiryDateTime, now);
}

/** What still keeps the relationship in place, in words a person can act on. */
export function removalBlockers(c: EmuCustomer, now = Date.now()): string[] {
  const blockers: string[] = [];
  for (const s of c.subscriptions) {
    if (s.status === "active" || s.status === "pending") blockers.push(`Subscription ${s.id} (${s.offerName}) is still ${s.status}; suspend or cancel it first`);
  }
  for (const e of c.entitlements) {
    if (e.entitlementType === "software") continue;
    if (e.entitlementType !== "reservedinstance") {
      blockers.push(`Entitlement ${e.resourceId} (${e.entitlementType}) is still active`);
      continue;
    }
    for (const r of e.reservations ?? []) {
      if (reservationLive(r, now)) blockers.push(`Azure reservation ${r.reservationId} (${r.displayName}) is still active; cancel it in the Azure portal first`);
    }
  }
  for (const o of c.orders) {
    if (orderHeld(o)) blockers.push(`Software purchase ${o.id} (${o.lineItems.map((l) => l.friendlyName).join(", ")}) is still active; cancel it first`);
  }
  return blockers;
}

function refuseIfFinished(s: EmuSubscription): void {
  if (s.status === "deleted") throw new HttpError(400, 2011, `Subscription ${s.id} is deleted and cannot be changed.`);
  if (s.status === "expired" || s.status === "disabled" || s.status === "none") throw new HttpError(400, 800012, `Subscription ${s.id} is not an active subscription.`);
}

/**
 * Applies a PATCH of the whole Subscription resource the way Partner Center would: If-Match must
 * carry the current etag, the body must be the full resource (every field a read returns), and
 * exactly one of status and autoRenewEnabled may differ. Throws the service's refusal otherwise.
 */
export function patchSubscription(
  s: EmuSubscription,
  body: Record<string, unknown>,
  ifMatch: string | undefined,
  fullResourceKeys: string[],
  newEtag: () => string,
  /** the customer's reservations still live: an Azure plan is not suspended while any is (900115) */
  liveReservations = 0,
): void {
  if (!ifMatch) throw new HttpError(412, ETAG_MISMATCH_CODE, `If-Match with the etag of subscription ${s.id} is required.`);
  if (ifMatch !== s.etag) throw new HttpError(412, ETAG_MISMATCH_CODE, `The etag does not match subscription ${s.id}; read it again.`);
  const missing = fullResourceKeys.filter((key) => !(key in body));
  if (missing.length > 0) throw new HttpError(400, 3000, `A full Subscription resource is required in the request body; missing: ${missing.join(", ")}.`);
  if (String(body.id).toLowerCase() !== s.id.toLowerCase()) throw new HttpError(400, 3000, "Invalid property: id does not match the subscription.");
  if (body.quantity !== s.quantity || String(body.offerId) !== s.offerId) throw new HttpError(400, 3000, "Invalid property: only status or autoRenewEnabled can be changed here.");
  const wanted = String(body.status ?? "").toLowerCase();
  const statusChange = wanted !== s.status;
  const renewChange = typeof body.autoRenewEnabled === "boolean" && body.autoRenewEnabled !== s.autoRenewEnabled;
  refuseIfFinished(s);
  if (statusChange && renewChange) throw new HttpError(400, 3000, "Change the status or autoRenewEnabled, one at a time.");
  if (!statusChange && !renewChange) throw new HttpError(400, 800040, `Subscription status cannot be changed from ${s.status} to ${wanted}.`);
  if (renewChange) {
    if (s.status === "suspended") throw new HttpError(400, 800091, `Cannot update a suspended subscription (${s.id}).`);
    if (s.commerceType === "azure_plan") throw new HttpError(400, 800096, "Cannot update the auto-renew setting of an Azure plan.");
    s.autoRenewEnabled = body.autoRenewEnabled === true;
  } else {
    changeStatus(s, wanted, liveReservations);
  }
  s.etag = newEtag();
}

function changeStatus(s: EmuSubscription, wanted: string, liveReservations: number): void {
  if (wanted === "suspended") {
    if (s.status !== "active") throw new HttpError(400, 800040, `Subscription status cannot be changed from ${s.status} to suspended.`);
    if (s.commerceType === "azure_plan" && (s.azureSubscriptions ?? []).some((a) => a.status === "active")) {
      throw new HttpError(403, AZURE_PLAN_ACTIVE_CODE, "Azure plan cannot be moved to suspended state since you have one or more Azure Subscriptions in the active state.");
    }
    // documented: only when no active usage assets remain, reservations cancelled included
    if (s.commerceType === "azure_plan" && liveReservations > 0) {
      throw new HttpError(403, AZURE_PLAN_ACTIVE_CODE, "Azure plan cannot be moved to suspended state since you have one or more active reservations.");
    }
  } else if (wanted === "active") {
    if (s.status !== "suspended") throw new HttpError(400, 800040, `Subscription status cannot be changed from ${s.status} to active.`);
  } else if (wanted === "deleted") {
    if (s.commerceType !== "nce") throw new HttpError(400, 800040, `Subscription status cannot be changed from ${s.status} to deleted: ${s.commerceType === "legacy" ? "legacy subscriptions are suspended" : "an Azure plan is suspended"}.`);
    if (!s.cancellationAllowedUntilDate || ago(s.cancellationAllowedUntilDate, Date.now())) {
      throw new HttpError(400, 800096, `Cannot update the status: the cancellation window of subscription ${s.id} closed on ${s.cancellationAllowedUntilDate ?? "purchase"}.`);
    }
  } else {
    throw new HttpError(400, 3000, `Invalid property: status "${wanted}".`);
  }
  s.status = wanted;
}

export function orderWindowClosed(cancellationAllowedUntilDate: string): boolean {
  return ago(cancellationAllowedUntilDate, Date.now());
}

/** An order is held while it is not cancelled and any of its lines keeps a quantity (a cancelled line goes to 0). */
export function orderHeld(o: EmuOrder): boolean {
  return o.status !== "cancelled" && o.lineItems.some((l) => l.quantity > 0);
}

/** The customer's reservations not yet cancelled, returned or expired. */
export function liveReservationCount(c: EmuCustomer, now = Date.now()): number {
  return c.entitlements.flatMap((e) => (e.entitlementType === "reservedinstance" ? (e.reservations ?? []) : [])).filter((r) => reservationLive(r, now)).length;
}
