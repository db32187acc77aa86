// What a blocker is: the item, why it blocks, the step that clears it and the buttons that take
// that step here. Shared by the subscription rules and the preconditions.

export type ClearingStep =
  | "suspend_subscription"
  | "cancel_or_suspend_subscription"
  | "suspend_subscription_past_window"
  | "disable_azure_subscriptions_then_suspend_plan"
  | "wait_until_not_pending"
  | "cancel_reservation_in_azure_portal"
  | "cancel_software_purchase"
  | "contact_microsoft_support"
  | "check_in_partner_center"
  | "none_relationship_already_removed";

export type BlockerKind =
  | "active_legacy_subscription"
  | "pending_subscription"
  | "nce_subscription_in_window"
  | "nce_subscription_past_window"
  | "azure_plan"
  | "azure_reservation"
  | "software_purchase"
  | "software_purchase_outside_window"
  | "unrecognised_item"
  | "no_reseller_relationship";

/** What one button does to a subscription: each maps to full-resource PATCHes (see changesFor). */
export type SubscriptionAction = "suspend" | "cancel" | "turn_off_auto_renew" | "suspend_plan";
export type ItemAction = SubscriptionAction | "cancel_software";

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
  /** the buttons this app offers for it, first the one that clears it best */
  actions: ItemAction[];
  /** true when this app can clear it with a button */
  actionable: boolean;
  /** more lines about the item, e.g. an Azure plan's Azure subscriptions */
  details: string[];
}

/** The plain message for anything the app does not recognise. */
export const UNRECOGNISED_ITEM_STEP = "Unrecognised item: check it in Partner Center.";

export function unrecognisedBlocker(itemId: string, itemName: string, what: string): Blocker {
  return {
    kind: "unrecognised_item",
    itemId,
    itemName,
    reason: `Partner Center shows ${what}, which this app does not recognise, so it blocks removal to be safe.`,
    step: "check_in_partner_center",
    stepText: UNRECOGNISED_ITEM_STEP,
    actions: [],
    actionable: false,
    details: [],
  };
}
