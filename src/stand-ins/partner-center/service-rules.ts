// Partner Center's own rules, as the emulator enforces them: what keeps a relationship from being
// removed, and which subscription status changes the service accepts.
import { HttpError } from "./answers";
import type { EmuCustomer, EmuSubscription } from "./emulator-state";

/** The code the emulator uses for "remove while something still blocks"; Partner Center documents none. */
export const REMOVAL_BLOCKED_CODE = 800112;
export const ETAG_MISMATCH_CODE = 800036;

const ago = (iso: string | undefined, now: number) => iso !== undefined && Date.parse(iso) < now;

/** What still keeps the relationship in place, in words a person can act on. */
export function removalBlockers(c: EmuCustomer): string[] {
  const blockers: string[] = [];
  for (const s of c.subscriptions) {
    if (s.commerceType === "legacy" && (s.status === "active" || s.status === "pending")) {
      blockers.push(`Subscription ${s.id} (${s.offerName}) is still ${s.status}; suspend it first`);
    }
    if (s.commerceType === "nce" && s.status !== "deleted" && s.status !== "expired") {
      blockers.push(`New-commerce subscription ${s.id} (${s.offerName}) is still ${s.status}; cancel it first`);
    }
  }
  for (const e of c.entitlements) {
    if (e.entitlementType !== "software" && e.fulfilmentStatus.toLowerCase() !== "cancelled") {
      blockers.push(`Azure reservation ${e.resourceId} (${e.friendlyName}) is still active; cancel it in the Azure portal first`);
    }
  }
  for (const o of c.orders) {
    if (o.status !== "cancelled") blockers.push(`Software purchase ${o.id} (${o.lineItems.map((l) => l.friendlyName).join(", ")}) is still active; cancel it first`);
  }
  return blockers;
}

/** Applies a status change the way Partner Center would, or throws its refusal. */
export function changeSubscriptionStatus(s: EmuSubscription, wanted: string, etag: string | undefined, newEtag: () => string): void {
  if (!etag || etag !== s.etag) throw new HttpError(412, ETAG_MISMATCH_CODE, `The etag does not match subscription ${s.id}; read it again.`);
  const now = Date.now();
  if (s.status === "deleted") throw new HttpError(400, 2011, `Subscription ${s.id} is deleted and cannot be changed.`);
  if (s.status === "expired" || s.status === "disabled") throw new HttpError(400, 800012, `Subscription ${s.id} is not an active subscription.`);
  if (wanted === s.status) throw new HttpError(400, 800040, `Subscription status cannot be changed from ${s.status} to ${wanted}.`);
  if (wanted === "suspended") {
    if (s.commerceType === "nce") throw new HttpError(400, 800096, `Cannot update the status: new-commerce subscription ${s.id} is cancelled, not suspended.`);
    if (s.status !== "active") throw new HttpError(400, 800040, `Subscription status cannot be changed from ${s.status} to suspended.`);
  } else if (wanted === "active") {
    if (s.status !== "suspended") throw new HttpError(400, 800040, `Subscription status cannot be changed from ${s.status} to active.`);
  } else if (wanted === "deleted") {
    if (s.commerceType === "legacy") throw new HttpError(400, 800040, `Subscription status cannot be changed from ${s.status} to deleted: legacy subscriptions are suspended.`);
    if (!s.cancellationAllowedUntilDate || ago(s.cancellationAllowedUntilDate, now)) {
      throw new HttpError(400, 800096, `Cannot update the status: the cancellation window of subscription ${s.id} closed on ${s.cancellationAllowedUntilDate ?? "purchase"}.`);
    }
  } else {
    throw new HttpError(400, 3000, `Invalid property: status "${wanted}".`);
  }
  s.status = wanted;
  s.etag = newEtag();
}

export function orderWindowClosed(cancellationAllowedUntilDate: string): boolean {
  return ago(cancellationAllowedUntilDate, Date.now());
}
