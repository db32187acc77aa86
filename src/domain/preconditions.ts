// Partner Center's rule, made explicit: the relationship may be removed only when no
// reservation, software purchase or active subscription remains, and the app recognises
// everything it read. Each blocker says what blocks and the step that clears it, so every front
// end shows the same advice; the billing notices tell the approver what keeps costing money.
import { type Blocker, type SubscriptionAction, unrecognisedBlocker } from "./blockers";
import { reservationStanding } from "./classification";
import { type AzureReservation, type CustomerSnapshot, type Subscription, formatDate, isInsideWindow } from "./customer";
import { type BillingNotice, type SubscriptionChange, billingNotice, changesFor, reservationsHoldingPlans, subscriptionBlocker } from "./subscription-rules";

export type PreconditionResult =
  | { ready: true; blockers: []; notices: BillingNotice[] }
  | { ready: false; blockers: Blocker[]; notices: BillingNotice[] };

function reservationName(r: AzureReservation): string {
  const facts = [r.reservationType, r.quantity !== null ? `quantity ${r.quantity}` : null, r.expiresAt ? `expires ${formatDate(r.expiresAt)}` : null].filter(Boolean);
  return facts.length > 0 ? `${r.name} (${facts.join(", ")})` : r.name;
}

function reservationBlocker(r: AzureReservation, now: Date): Blocker | null {
  const standing = reservationStanding(r, now);
  if (standing === "finished") return null;
  const name = reservationName(r);
  if (standing === "unrecognised") return unrecognisedBlocker(r.id, name, `a reservation in the state “${r.provisioningState ?? ""}”`);
  return {
    kind: "azure_reservation",
    itemId: r.id,
    itemName: name,
    reason: r.provisioningState ? `Azure reservation is ${r.provisioningState}.` : "Azure reservation; its details could not be read, so it counts as live.",
    step: "cancel_reservation_in_azure_portal",
    stepText: "Cancel (return) the reservation in the Azure portal under Reservations, then press Re-check.",
    actions: [],
    actionable: false,
    details: [],
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
      actions: [],
      actionable: false,
      details: [],
    });
  } else if (customer.relationshipToPartner === "unknown") {
    blockers.push(unrecognisedBlocker(customer.tenantId, customer.companyName, "a relationship to the partner"));
  }
  for (const reservation of snapshot.reservations) {
    const blocker = reservationBlocker(reservation, now);
    if (blocker) blockers.push(blocker);
  }
  for (const purchase of snapshot.softwarePurchases) {
    if (purchase.status !== "active") continue;
    const inWindow = isInsideWindow(purchase.cancellableUntil, now);
    blockers.push({
      kind: inWindow ? "software_purchase" : "software_purchase_outside_window",
      itemId: purchase.id,
      itemName: purchase.name,
      reason: inWindow ? "Software purchase is still active." : "Software purchase is past its cancellation window and cannot be cancelled through Partner Center.",
      step: inWindow ? "cancel_software_purchase" : "contact_microsoft_support",
      stepText: inWindow ? "Cancel the software purchase." : "Ask Microsoft support to cancel it, then press Re-check.",
      actions: inWindow ? ["cancel_software"] : [],
      actionable: inWindow,
      details: [],
    });
  }
  for (const item of snapshot.unrecognised) blockers.push(unrecognisedBlocker(item.id, item.name, item.what));
  for (const sub of snapshot.subscriptions) {
    const blocker = subscriptionBlocker(sub, snapshot, now);
    if (blocker) blockers.push(blocker);
  }
  const notices = snapshot.subscriptions.map((sub) => billingNotice(sub, now)).filter((n): n is BillingNotice => n !== null);
  return blockers.length === 0 ? { ready: true, blockers: [], notices } : { ready: false, blockers, notices };
}

/**
 * What Suspend all does: cancel new-commerce subscriptions inside their window, suspend the
 * rest (auto-renew off first on new commerce, see changesFor), and suspend Azure plans whose
 * Azure subscriptions are all disabled already and no reservation of the customer is live.
 */
export function clearableSubscriptions(snapshot: CustomerSnapshot, now: Date): Array<{ subscription: Subscription; action: "suspend" | "cancel" }> {
  const work: Array<{ subscription: Subscription; action: "suspend" | "cancel" }> = [];
  for (const sub of snapshot.subscriptions) {
    const blocker = subscriptionBlocker(sub, snapshot, now);
    if (!blocker) continue;
    if (blocker.kind === "nce_subscription_in_window") work.push({ subscription: sub, action: "cancel" });
    else if (blocker.kind === "active_legacy_subscription" || blocker.kind === "nce_subscription_past_window") work.push({ subscription: sub, action: "suspend" });
    else if (blocker.kind === "azure_plan" && !snapshot.azureSubscriptions.some((a) => a.planId === sub.id && a.status !== "disabled" && a.status !== "deleted") && reservationsHoldingPlans(snapshot, now) === 0) {
      work.push({ subscription: sub, action: "suspend" });
    }
  }
  return work;
}

const ACTION_WORDS: Record<SubscriptionAction, string> = {
  suspend: "suspended",
  cancel: "cancelled",
  turn_off_auto_renew: "have its auto-renew turned off",
  suspend_plan: "suspended",
};

/** Whether one subscription action is allowed now, whoever asks and however the request came; with the PATCHes it takes. */
export function checkSubscriptionAction(
  snapshot: CustomerSnapshot,
  subscriptionId: string,
  action: SubscriptionAction,
  now: Date,
): { ok: true; subscription: Subscription; changes: SubscriptionChange[] } | { ok: false; reason: string } {
  const sub = snapshot.subscriptions.find((candidate) => candidate.id.toLowerCase() === subscriptionId.toLowerCase());
  if (!sub) return { ok: false, reason: "That subscription no longer belongs to this customer." };
  const blocker = subscriptionBlocker(sub, snapshot, now);
  if (blocker?.actions.includes(action)) return { ok: true, subscription: sub, changes: changesFor(sub, action) };
  if (!blocker) return { ok: false, reason: `${sub.offerName} is already ${sub.statusText}; nothing to do.` };
  return { ok: false, reason: `${sub.offerName} cannot be ${ACTION_WORDS[action]} here: ${blocker.stepText}` };
}
