// Partner Center's rule, made explicit: the relationship may be removed only when no
// reservation, software purchase or billing subscription remains. Each blocker says what
// blocks and the one step that clears it, so every front end can show the same advice.
import { type CustomerSnapshot, type Subscription, isInsideWindow } from "./customer";

export type ClearingStep =
  | "suspend_subscription"
  | "cancel_subscription"
  | "wait_for_term_end"
  | "cancel_reservation_in_azure_portal"
  | "cancel_software_purchase"
  | "contact_microsoft_support"
  | "none_relationship_already_removed";

export type BlockerKind =
  | "active_legacy_subscription"
  | "nce_subscription_in_window"
  | "nce_subscription_outside_window"
  | "azure_reservation"
  | "software_purchase"
  | "software_purchase_outside_window"
  | "no_reseller_relationship";

export interface Blocker {
  kind: BlockerKind;
  itemId: string;
  itemName: string;
  /** why it blocks, in words an operator reads */
  reason: string;
  /** what clears it */
  step: ClearingStep;
  /** the same step in words */
  stepText: string;
  /** true when this app can clear it with one button (suspend or cancel) */
  actionable: boolean;
}

export type PreconditionResult = { ready: true; blockers: [] } | { ready: false; blockers: Blocker[] };

const BLOCKING_STATUSES = new Set(["active", "pending"]);

function formatDate(date: Date | null): string {
  return date ? date.toISOString().slice(0, 10) : "the end of its term";
}

function subscriptionBlocker(sub: Subscription, now: Date): Blocker | null {
  const base = { itemId: sub.id, itemName: `${sub.offerName} (×${sub.quantity})` };
  if (sub.commerceType === "legacy") {
    if (!BLOCKING_STATUSES.has(sub.status)) return null;
    return {
      ...base,
      kind: "active_legacy_subscription",
      reason: `Subscription is ${sub.status}.`,
      step: "suspend_subscription",
      stepText: "Suspend the subscription.",
      actionable: true,
    };
  }
  // NCE: suspended still bills, so only cancelled (deleted), expired or disabled is clear
  if (sub.status === "deleted" || sub.status === "expired" || sub.status === "disabled") return null;
  if (isInsideWindow(sub.cancellableUntil, now)) {
    return {
      ...base,
      kind: "nce_subscription_in_window",
      reason:
        sub.status === "suspended"
          ? "New-commerce subscription is suspended, but a suspended NCE subscription keeps billing."
          : `New-commerce subscription is ${sub.status}; NCE subscriptions must be cancelled, not suspended.`,
      step: "cancel_subscription",
      stepText: `Cancel it before ${sub.cancellableUntil?.toISOString() ?? "its window closes"} (cancellation window).`,
      actionable: true,
    };
  }
  return {
    ...base,
    kind: "nce_subscription_outside_window",
    reason: `New-commerce subscription is past its cancellation window: it cannot be cancelled and billing continues until ${formatDate(sub.commitmentEndDate)}.`,
    step: "wait_for_term_end",
    stepText: `Turn off auto-renew and wait for the term to end on ${formatDate(sub.commitmentEndDate)}, or ask Microsoft support for an exception.`,
    actionable: false,
  };
}

export function evaluatePreconditions(snapshot: CustomerSnapshot, now: Date): PreconditionResult {
  const blockers: Blocker[] = [];
  const { customer } = snapshot;
  if (customer.relationshipToPartner === "none") {
    blockers.push({
      kind: "no_reseller_relationship",
      itemId: customer.tenantId,
      itemName: customer.companyName,
      reason: "There is no reseller relationship with this customer any more.",
      step: "none_relationship_already_removed",
      stepText: "Nothing to remove. Use relink to request a new relationship.",
      actionable: false,
    });
  }
  for (const reservation of snapshot.reservations) {
    if (reservation.status !== "active") continue;
    blockers.push({
      kind: "azure_reservation",
      itemId: reservation.id,
      itemName: reservation.name,
      reason: "Azure reservation is still active.",
      step: "cancel_reservation_in_azure_portal",
      stepText: "Cancel (return) the reservation in the Azure portal under Reservations, then press Re-check.",
      actionable: false,
    });
  }
  for (const purchase of snapshot.softwarePurchases) {
    if (purchase.status !== "active") continue;
    const inWindow = isInsideWindow(purchase.cancellableUntil, now);
    blockers.push({
      kind: inWindow ? "software_purchase" : "software_purchase_outside_window",
      itemId: purchase.id,
      itemName: purchase.name,
      reason: inWindow
        ? "Software purchase is still active."
        : "Software purchase is past its cancellation window and cannot be cancelled through Partner Center.",
      step: inWindow ? "cancel_software_purchase" : "contact_microsoft_support",
      stepText: inWindow ? "Cancel the software purchase." : "Ask Microsoft support to cancel it, then press Re-check.",
      actionable: inWindow,
    });
  }
  for (const sub of snapshot.subscriptions) {
    const blocker = subscriptionBlocker(sub, now);
    if (blocker) blockers.push(blocker);
  }
  return blockers.length === 0 ? { ready: true, blockers: [] } : { ready: false, blockers };
}

/** Subscriptions that "Suspend all" works on: suspend legacy, cancel NCE inside its window. */
export function clearableSubscriptions(snapshot: CustomerSnapshot, now: Date): Array<{ subscription: Subscription; action: "suspend" | "cancel" }> {
  const work: Array<{ subscription: Subscription; action: "suspend" | "cancel" }> = [];
  for (const sub of snapshot.subscriptions) {
    const blocker = subscriptionBlocker(sub, now);
    if (blocker?.step === "suspend_subscription") work.push({ subscription: sub, action: "suspend" });
    else if (blocker?.step === "cancel_subscription") work.push({ subscription: sub, action: "cancel" });
  }
  return work;
}

/** Whether one subscription action is allowed now, whoever asks and however the request came. */
export function checkSubscriptionAction(
  snapshot: CustomerSnapshot,
  subscriptionId: string,
  action: "suspend" | "cancel",
  now: Date,
): { ok: true; subscription: Subscription } | { ok: false; reason: string } {
  const sub = snapshot.subscriptions.find((candidate) => candidate.id === subscriptionId);
  if (!sub) return { ok: false, reason: "That subscription no longer belongs to this customer." };
  const blocker = subscriptionBlocker(sub, now);
  const expected = action === "suspend" ? "suspend_subscription" : "cancel_subscription";
  if (blocker?.step === expected) return { ok: true, subscription: sub };
  if (!blocker) return { ok: false, reason: `${sub.offerName} is already ${sub.status}; nothing to do.` };
  return { ok: false, reason: `${sub.offerName} cannot be ${action === "suspend" ? "suspended" : "cancelled"}: ${blocker.stepText}` };
}
