// What the rules need to know about a customer and what it holds in Partner Center.

export type RelationshipToPartner = "reseller" | "advisor" | "none" | "unknown";

export interface Customer {
  tenantId: string;
  companyName: string;
  domain: string;
  relationshipToPartner: RelationshipToPartner;
}

export const SUBSCRIPTION_STATUSES = ["active", "suspended", "pending", "deleted", "expired", "disabled"] as const;
export type SubscriptionStatus = (typeof SUBSCRIPTION_STATUSES)[number];

/** legacy subscriptions are suspended; new-commerce (NCE) ones keep billing until cancelled */
export type CommerceType = "legacy" | "nce";

export interface Subscription {
  id: string;
  offerId: string;
  offerName: string;
  quantity: number;
  status: SubscriptionStatus;
  commerceType: CommerceType;
  /** end of the cancellation window (NCE: 7 days after purchase or renewal); null when none applies */
  cancellableUntil: Date | null;
  /** end of the current term; NCE billing runs until then when it cannot be cancelled */
  commitmentEndDate: Date | null;
  /** optimistic-concurrency token Partner Center wants in If-Match */
  etag?: string | undefined;
}

export type PurchaseStatus = "active" | "cancelled";

/** Azure reserved instances and savings plans: cancelled in the Azure portal, never by our API calls. */
export interface AzureReservation {
  id: string;
  name: string;
  status: PurchaseStatus;
  cancellableUntil: Date | null;
}

export interface SoftwarePurchase {
  /** the order id; cancelling is a PATCH on the order */
  id: string;
  name: string;
  status: PurchaseStatus;
  cancellableUntil: Date | null;
  lineItems: Array<{ lineItemNumber: number; offerId: string }>;
}

/** Everything about one customer at one moment, as read from Partner Center. */
export interface CustomerSnapshot {
  customer: Customer;
  subscriptions: Subscription[];
  reservations: AzureReservation[];
  softwarePurchases: SoftwarePurchase[];
  takenAt: Date;
}

export function isInsideWindow(cancellableUntil: Date | null, now: Date): boolean {
  return cancellableUntil !== null && now.getTime() <= cancellableUntil.getTime();
}
