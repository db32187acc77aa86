// What the rules need to know about a customer and what it holds in Partner Center. Values the
// app does not recognise are kept as such ("unrecognised", with Partner Center's own words), so
// the rules can block on them instead of a read failing or an item passing unseen.

export type RelationshipToPartner = "reseller" | "advisor" | "none" | "unknown";

export interface Customer {
  tenantId: string;
  companyName: string;
  domain: string;
  relationshipToPartner: RelationshipToPartner;
}

/** Partner Center's documented statuses (`none` included), plus the SDK's expired and disabled. */
export const SUBSCRIPTION_STATUSES = ["active", "suspended", "pending", "deleted", "expired", "disabled", "none"] as const;
export type KnownSubscriptionStatus = (typeof SUBSCRIPTION_STATUSES)[number];
export type SubscriptionStatus = KnownSubscriptionStatus | "unrecognised";

/**
 * legacy: suspended to stop it; nce (new commerce, and marketplace offers with a cancellation
 * window): cancelled inside the window, else suspended while it bills to the term end;
 * azure_plan: suspended once its Azure subscriptions are disabled; unrecognised: an offer id
 * the app cannot classify.
 */
export type CommerceType = "legacy" | "nce" | "azure_plan" | "unrecognised";

export interface Subscription {
  id: string;
  offerId: string;
  offerName: string;
  quantity: number;
  status: SubscriptionStatus;
  /** the status as Partner Center wrote it, for messages about one the app does not know */
  statusText: string;
  commerceType: CommerceType;
  /** end of the cancellation window (new commerce: 7 days after purchase or renewal); null when none applies */
  cancellableUntil: Date | null;
  /** end of the current term; a new-commerce subscription bills until then unless cancelled */
  commitmentEndDate: Date | null;
  /** whether it renews at the term end; null when Partner Center does not say */
  autoRenewEnabled: boolean | null;
  /** creationDate and effectiveStartDate as read (the portfolio scan's activity); absent where not read */
  createdAt?: Date | null;
  effectiveStartAt?: Date | null;
  /** isTrial as read; null when Partner Center does not say */
  isTrial?: boolean | null;
  /** optimistic-concurrency token Partner Center wants in If-Match */
  etag?: string | undefined;
}

/** One Azure subscription under an Azure plan (the plan's azureEntitlements). */
export interface AzureSubscription {
  id: string;
  /** the plan subscription it belongs to */
  planId: string;
  name: string;
  /** as Partner Center wrote it, lower-cased: active, disabled, … */
  status: string;
}

/** An Azure reservation, named as Partner Center names it; cancelled in the Azure portal, never by our API calls. */
export interface AzureReservation {
  id: string;
  name: string;
  /** dynamicAttributes.reservationType: virtualmachines, sqldatabases, …; null when not given */
  reservationType: string | null;
  quantity: number | null;
  expiresAt: Date | null;
  /** the reservation's provisioningState as written (Succeeded, Cancelled, …); null when its details could not be read */
  provisioningState: string | null;
}

export type PurchaseStatus = "active" | "cancelled";

export interface SoftwarePurchase {
  /** the order id; cancelling is a PATCH on the order */
  id: string;
  name: string;
  status: PurchaseStatus;
  cancellableUntil: Date | null;
  lineItems: Array<{ lineItemNumber: number; offerId: string }>;
}

/** Something Partner Center holds for the customer that the app cannot classify: it blocks removal. */
export interface UnrecognisedItem {
  id: string;
  name: string;
  /** what it is, in Partner Center's words, e.g. `an entitlement of type "savingsplan"` */
  what: string;
}

/** Everything about one customer at one moment, as read from Partner Center. */
export interface CustomerSnapshot {
  customer: Customer;
  subscriptions: Subscription[];
  /** the Azure subscriptions of the customer's active Azure plans */
  azureSubscriptions: AzureSubscription[];
  reservations: AzureReservation[];
  softwarePurchases: SoftwarePurchase[];
  unrecognised: UnrecognisedItem[];
  takenAt: Date;
}

export function isInsideWindow(cancellableUntil: Date | null, now: Date): boolean {
  return cancellableUntil !== null && now.getTime() <= cancellableUntil.getTime();
}

export function formatDate(date: Date | null, otherwise = "the end of its term"): string {
  return date ? date.toISOString().slice(0, 10) : otherwise;
}
