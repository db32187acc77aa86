// Partner Center's rule for subscriptions, made explicit: removal waits while any subscription is
// active. Legacy ones are suspended. A new-commerce one is cancelled inside its window (with the
// refund) or suspended; past it, suspended, and its auto-renew turned off: suspended, it no longer
// blocks but bills until its term ends, which the approver is told. An Azure plan is suspended
// once its Azure subscriptions are disabled. Anything else blocks as unrecognised.
import { type Blocker, type SubscriptionAction, unrecognisedBlocker } from "./blockers";
import { reservationStanding } from "./classification";
import { type CustomerSnapshot, type Subscription, formatDate, isInsideWindow } from "./customer";

/** Statuses that no longer block removal, whatever the commerce type. */
const FINISHED = new Set(["suspended", "deleted", "expired", "disabled"]);

/** One full-resource PATCH: the status changed (active reactivates), or auto-renew turned off. */
export type SubscriptionChange = { status: "suspended" | "deleted" | "active" } | { autoRenewEnabled: false };

export function subscriptionName(sub: Subscription): string {
  return `${sub.offerName || sub.offerId || sub.id} (×${sub.quantity})`;
}

function renewal(sub: Subscription): string {
  if (sub.autoRenewEnabled === true) return "it renews then unless auto-renew is turned off";
  if (sub.autoRenewEnabled === false) return "it will not renew";
  return "Partner Center does not say whether it renews";
}

export function subscriptionBlocker(sub: Subscription, snapshot: PlanAssets, now: Date): Blocker | null {
  if (FINISHED.has(sub.status)) return null;
  const base = { itemId: sub.id, itemName: subscriptionName(sub), details: [] as string[] };
  if (sub.status === "unrecognised" || sub.status === "none") return unrecognisedBlocker(sub.id, base.itemName, `a subscription with the status “${sub.statusText}”`);
  if (sub.commerceType === "unrecognised") return unrecognisedBlocker(sub.id, base.itemName, `a subscription with the offer “${sub.offerId || "(none)"}”`);
  if (sub.status === "pending") {
    return {
      ...base,
      kind: "pending_subscription",
      reason: "Subscription is pending (being provisioned or changed) and cannot be suspended yet.",
      step: "wait_until_not_pending",
      stepText: "Wait until Partner Center shows it active, then press Re-check.",
      actions: [],
      actionable: false,
    };
  }
  // active from here on
  if (sub.commerceType === "legacy") {
    return { ...base, kind: "active_legacy_subscription", reason: "Subscription is active.", step: "suspend_subscription", stepText: "Suspend the subscription.", actions: ["suspend"], actionable: true };
  }
  if (sub.commerceType === "azure_plan") return azurePlanBlocker(sub, snapshot, base, now);
  if (isInsideWindow(sub.cancellableUntil, now)) {
    return {
      ...base,
      kind: "nce_subscription_in_window",
      reason: `New-commerce subscription is active and still inside its cancellation window (until ${sub.cancellableUntil?.toISOString() ?? "-"}).`,
      step: "cancel_or_suspend_subscription",
      stepText: `Cancel it (refunded under Partner Center's refund terms), or suspend it: suspended, it keeps billing until ${formatDate(sub.commitmentEndDate)}.`,
      actions: ["cancel", "suspend"],
      actionable: true,
    };
  }
  const renews = sub.autoRenewEnabled !== false;
  return {
    ...base,
    kind: "nce_subscription_past_window",
    reason: `New-commerce subscription is active and past its cancellation window: it cannot be cancelled and bills until ${formatDate(sub.commitmentEndDate)}; ${renewal(sub)}.`,
    step: "suspend_subscription_past_window",
    stepText: renews ? "Suspend it (auto-renew is turned off first), or only turn off auto-renew." : "Suspend it.",
    actions: renews ? ["suspend", "turn_off_auto_renew"] : ["suspend"],
    actionable: true,
  };
}

/** What an Azure plan's suspension waits on: its Azure subscriptions, and the customer's reservations (not given: none read). */
export type PlanAssets = Pick<CustomerSnapshot, "azureSubscriptions"> & Partial<Pick<CustomerSnapshot, "reservations">>;

/**
 * Reservations not yet cancelled, returned or expired (or in a state the app does not know): Partner
 * Center suspends an Azure plan only when no active usage asset remains, reservations included (900115).
 */
export function reservationsHoldingPlans(snapshot: PlanAssets, now: Date): number {
  return (snapshot.reservations ?? []).filter((r) => reservationStanding(r, now) !== "finished").length;
}

function azurePlanBlocker(sub: Subscription, snapshot: PlanAssets, base: { itemId: string; itemName: string; details: string[] }, now: Date): Blocker {
  const azure = snapshot.azureSubscriptions.filter((a) => a.planId === sub.id);
  const active = azure.filter((a) => a.status !== "disabled" && a.status !== "deleted");
  const reservations = reservationsHoldingPlans(snapshot, now);
  const holding = [
    active.length > 0 ? `${active.length} of its Azure subscriptions ${active.length === 1 ? "is" : "are"} still active` : null,
    reservations > 0 ? `${reservations} reservation${reservations === 1 ? " is" : "s are"} still live` : null,
  ].filter((part): part is string => part !== null);
  return {
    ...base,
    itemName: sub.offerName || "Azure plan",
    kind: "azure_plan",
    reason: holding.length > 0 ? `Azure plan is active and ${holding.join(" and ")}, so Partner Center will not suspend it.` : "Azure plan is active.",
    step: "disable_azure_subscriptions_then_suspend_plan",
    stepText: AZURE_PLAN_STEPS,
    details: azure.map((a) => `${a.name} (${a.id}): ${a.status}`),
    actions: ["suspend_plan"],
    actionable: true,
  };
}

/** What to do about an Azure plan; also the explanation when Partner Center refuses to suspend one (900115). */
export const AZURE_PLAN_STEPS =
  "Disable each of its Azure subscriptions in the Azure portal (Subscriptions → Cancel subscription) and cancel the plan's reservations, then press Suspend plan.";

/** The PATCHes one action takes, in order: auto-renew goes off before a suspension, since a suspended subscription cannot be updated. */
export function changesFor(sub: Subscription, action: SubscriptionAction): SubscriptionChange[] {
  switch (action) {
    case "cancel":
      return [{ status: "deleted" }];
    case "turn_off_auto_renew":
      return [{ autoRenewEnabled: false }];
    case "suspend_plan":
      return [{ status: "suspended" }];
    case "suspend":
      return sub.commerceType === "nce" && sub.autoRenewEnabled !== false ? [{ autoRenewEnabled: false }, { status: "suspended" }] : [{ status: "suspended" }];
  }
}

/** True when the subscription already is as the change would make it. */
export function changeApplied(sub: Subscription, change: SubscriptionChange): boolean {
  return "status" in change ? sub.status === change.status : sub.autoRenewEnabled === change.autoRenewEnabled;
}

/** True when the subscription already is as the action would leave it (every one of its changes made). */
export function actionApplied(sub: Subscription, action: SubscriptionAction): boolean {
  return changesFor(sub, action).every((change) => changeApplied(sub, change));
}

/** A cost the approver should see: a suspended new-commerce subscription bills until its term ends. */
export interface BillingNotice {
  subscriptionId: string;
  name: string;
  billsUntil: Date | null;
  renews: boolean | null;
  text: string;
}

export function billingNotice(sub: Subscription, now: Date): BillingNotice | null {
  if (sub.commerceType !== "nce" || sub.status !== "suspended") return null;
  if (sub.commitmentEndDate !== null && sub.commitmentEndDate.getTime() <= now.getTime()) return null;
  const name = subscriptionName(sub);
  return {
    subscriptionId: sub.id,
    name,
    billsUntil: sub.commitmentEndDate,
    renews: sub.autoRenewEnabled,
    text: `${name} is suspended but keeps billing until ${formatDate(sub.commitmentEndDate)}; ${renewal(sub)}.`,
  };
}
