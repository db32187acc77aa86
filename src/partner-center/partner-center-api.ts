// What the workflow asks of Partner Center, in domain terms. The REST client implements it;
// the workflow never sees HTTP, casing, or paging tokens.
import type { AzureReservation, AzureSubscription, Customer, SoftwarePurchase, Subscription, SubscriptionChange, UnrecognisedItem } from "../domain";

/** Every mutating call reports the MS-RequestId it used, for the audit trail. */
export interface Traced<T> {
  value: T;
  requestId: string;
  correlationId: string;
}

export interface CallOptions {
  /** MS-RequestId to send; a resumed job passes the one it stored, so a retry is the same call */
  requestId?: string;
  correlationId?: string;
}

export interface CustomerPage {
  customers: Customer[];
  /** pass to listCustomers to read the next page; absent on the last page */
  continuation?: { uri: string; headers: Record<string, string> } | undefined;
}

/** The Subscription resource as Partner Center sent it; a change sends it back whole. */
export type SubscriptionResource = Readonly<Record<string, unknown>>;

/** A subscription as read: the domain's view of it, and the resource it came from. */
export interface SubscriptionRecord extends Subscription {
  resource: SubscriptionResource;
}

/** What a change needs: the id and etag, and the resource when the caller has just read it (else the client reads it). */
export interface SubscriptionRef {
  id: string;
  etag?: string | undefined;
  resource?: SubscriptionResource | undefined;
}

export interface SubscriptionUpdate {
  value: SubscriptionRecord;
  /** null when nothing was sent: a fresh read showed the change already made */
  requestId: string | null;
  correlationId: string | null;
  alreadyApplied: boolean;
}

/** What the entitlements say the customer holds: reservations, software purchases, and what the app cannot classify. */
export interface EntitlementHoldings {
  reservations: AzureReservation[];
  softwarePurchases: SoftwarePurchase[];
  unrecognised: UnrecognisedItem[];
}

export interface PartnerCenterApi {
  listCustomers(options?: { pageSize?: number; continuation?: CustomerPage["continuation"] }): Promise<CustomerPage>;
  /** throws no_relationship (403/20002) for a customer whose relationship is gone */
  getCustomer(tenantId: string): Promise<Customer>;
  listSubscriptions(tenantId: string): Promise<SubscriptionRecord[]>;
  /** one subscription with its current etag; not_found when the customer has no such subscription */
  getSubscription(tenantId: string, subscriptionId: string): Promise<SubscriptionRecord>;
  /**
   * Changes one thing (status, or auto-renew): the full resource with that one field changed,
   * PATCHed with If-Match; on 412 it reads the subscription again and retries once.
   */
  updateSubscription(tenantId: string, subscription: SubscriptionRef, change: SubscriptionChange, options?: CallOptions): Promise<SubscriptionUpdate>;
  /** the Azure subscriptions of an Azure plan (its azureEntitlements) */
  listAzureSubscriptions(tenantId: string, planSubscriptionId: string): Promise<AzureSubscription[]>;
  /** entitlements (App+User, showExpiry=true), reservation details behind their artifact links, and the software orders */
  readEntitlements(tenantId: string): Promise<EntitlementHoldings>;
  cancelSoftwarePurchase(tenantId: string, purchase: Pick<SoftwarePurchase, "id" | "lineItems">, options?: CallOptions): Promise<Traced<SoftwarePurchase>>;
  /** App+User */
  removeResellerRelationship(tenantId: string, options?: CallOptions): Promise<Traced<{ relationshipToPartner: "none" }>>;
  /** App+User */
  getRelationshipRequestLink(): Promise<string>;
  /** cheap call for readiness checks */
  ping(): Promise<void>;
}

export type PartnerCenterErrorKind =
  | "not_found"
  | "forbidden"
  /** 20002: the partner has no relationship with this customer (any more) */
  | "no_relationship"
  /** 3000 naming the relationship: "does not exist" by its words, to be confirmed by a read of the customer */
  | "relationship_unconfirmed"
  /** 900115: an Azure plan with active Azure subscriptions cannot be suspended */
  | "azure_plan_active"
  | "conflict"
  | "invalid"
  | "throttled"
  | "unavailable"
  | "unexpected_response"
  | "auth";

/** A Partner Center failure a person can read; `kind` decides what the workflow does next. */
export class PartnerCenterError extends Error {
  override name = "PartnerCenterError";
  constructor(
    readonly kind: PartnerCenterErrorKind,
    message: string,
    readonly details: { status?: number; code?: number; description?: string; requestId?: string; correlationId?: string } = {},
  ) {
    super(message);
  }
}
