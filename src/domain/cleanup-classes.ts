// The portfolio scan's verdict on one customer, from the same snapshot and preconditions as a
// case: ready (nothing blocks), suspend-only (only active legacy subscriptions, which Suspend all
// clears), blocked (with the kinds of blocker), active (recent subscription activity: not a
// clean-up candidate), or unreadable (Partner Center's own words).
//
// Activity: the latest of each subscription's creationDate, effectiveStartDate and, for new
// commerce, the opening of its current cancellation window (Partner Center opens it at purchase
// and at each renewal, and closes it 7 days later: cancellationAllowedUntilDate - 7 days). A
// customer whose latest activity is within ACTIVITY_WINDOW_DAYS is active, whatever blocks it:
// it bought or renewed something recently, so nobody should offboard it from a list.
import type { BlockerKind } from "./blockers";
import type { CustomerSnapshot, Subscription } from "./customer";
import type { PreconditionResult } from "./preconditions";

export const CLEANUP_CLASSES = ["ready", "suspend_only", "blocked", "active", "unreadable"] as const;
export type CleanupClass = (typeof CLEANUP_CLASSES)[number];

export const ACTIVITY_WINDOW_DAYS = 90;
const DAY_MS = 86_400_000;
/** new commerce: the cancellation window closes this long after a purchase or renewal */
const NCE_WINDOW_MS = 7 * DAY_MS;

export interface CleanupVerdict {
  cleanupClass: CleanupClass;
  /** the distinct kinds of blocker (none for ready; active_legacy_subscription for suspend-only) */
  blockerKinds: BlockerKind[];
  /** one line per reason, in words: blocker reasons, the activity, or Partner Center's error */
  reasons: string[];
  lastActivity: Date | null;
}

export const BLOCKER_KIND_WORDS: Record<BlockerKind, string> = {
  active_legacy_subscription: "active legacy subscription",
  pending_subscription: "pending subscription",
  nce_subscription_in_window: "new-commerce subscription in its cancellation window",
  nce_subscription_past_window: "new-commerce subscription past its cancellation window",
  azure_plan: "active Azure plan",
  azure_reservation: "live Azure reservation",
  software_purchase: "active software purchase",
  software_purchase_outside_window: "software purchase past its cancellation window",
  unrecognised_item: "item the app does not recognise",
  no_reseller_relationship: "no reseller relationship any more",
};

/** The latest sign of subscription activity Partner Center gives, or null when it gives none. */
export function lastActivityOf(subscriptions: readonly Subscription[]): Date | null {
  let latest: number | null = null;
  const consider = (date: Date | null | undefined) => {
    if (date && (latest === null || date.getTime() > latest)) latest = date.getTime();
  };
  for (const sub of subscriptions) {
    consider(sub.createdAt);
    consider(sub.effectiveStartAt);
    if (sub.commerceType === "nce" && sub.cancellableUntil) consider(new Date(sub.cancellableUntil.getTime() - NCE_WINDOW_MS));
  }
  return latest === null ? null : new Date(latest);
}

export function classifyForCleanup(snapshot: CustomerSnapshot, preconditions: PreconditionResult, now: Date, windowDays = ACTIVITY_WINDOW_DAYS): CleanupVerdict {
  const lastActivity = lastActivityOf(snapshot.subscriptions);
  const kinds = [...new Set(preconditions.blockers.map((b) => b.kind))];
  if (kinds.includes("no_reseller_relationship")) {
    return { cleanupClass: "blocked", blockerKinds: ["no_reseller_relationship"], reasons: [BLOCKER_KIND_WORDS.no_reseller_relationship], lastActivity };
  }
  if (lastActivity && now.getTime() - lastActivity.getTime() <= windowDays * DAY_MS) {
    return { cleanupClass: "active", blockerKinds: kinds, reasons: [`subscription activity within ${windowDays} days (${lastActivity.toISOString().slice(0, 10)})`], lastActivity };
  }
  if (preconditions.ready) return { cleanupClass: "ready", blockerKinds: [], reasons: [], lastActivity };
  const reasons = [...new Set(preconditions.blockers.map((b) => `${b.itemName}: ${b.reason}`))];
  if (kinds.every((kind) => kind === "active_legacy_subscription")) return { cleanupClass: "suspend_only", blockerKinds: kinds, reasons, lastActivity };
  // the legacy subscriptions would be suspended anyway: the class is about what else blocks
  return { cleanupClass: "blocked", blockerKinds: kinds.filter((kind) => kind !== "active_legacy_subscription"), reasons, lastActivity };
}

/** A customer whose read failed: Partner Center's words, as they came. */
export function unreadableVerdict(error: string): CleanupVerdict {
  return { cleanupClass: "unreadable", blockerKinds: [], reasons: [error], lastActivity: null };
}
