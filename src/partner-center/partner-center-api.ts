// What the workflow asks of Partner Center, in domain terms. The REST client implements it;
// the workflow never sees HTTP, casing, or paging tokens.
import type { AzureReservation, Customer, SoftwarePurchase, Subscription } from "../domain";

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

export interface PartnerCenterApi {
  listCustomers(options?: { pageSize?: number; continuation?: CustomerPage["continuation"] }): Promise<CustomerPage>;
  getCustomer(tenantId: string): Promise<Customer>;
  listSubscriptions(tenantId: string): Promise<Subscription[]>;
  /** one subscription with its current etag; not_found when the customer has no such subscription */
  getSubscription(tenantId: string, subscriptionId: string): Promise<Subscription>;
  /** suspend a legacy subscription (status suspended) */
  suspendSubscription(tenantId: string, subscription: Pick<Subscription, "id" | "etag">, options?: CallOptions): Promise<Traced<Subscription>>;
  /** reactivate a suspended subscription (status active) */
  reactivateSubscription(tenantId: string, subscription: Pick<Subscription, "id" | "etag">, options?: CallOptions): Promise<Traced<Subscription>>;
  /** cancel an NCE subscription inside its window (status deleted) */
  cancelSubscription(tenantId: string, subscription: Pick<Subscription, "id" | "etag">, options?: CallOptions): Promise<Traced<Subscription>>;
  listSoftwarePurchases(tenantId: string): Promise<SoftwarePurchase[]>;
  cancelSoftwarePurchase(tenantId: string, purchase: Pick<SoftwarePurchase, "id" | "lineItems">, options?: CallOptions): Promise<Traced<SoftwarePurchase>>;
  /** read-only: reservations are cancelled in the Azure portal */
  listAzureReservations(tenantId: string): Promise<AzureReservation[]>;
  removeResellerRelationship(tenantId: string, options?: CallOptions): Promise<Traced<{ relationshipToPartner: "none" }>>;
  getRelationshipRequestLink(): Promise<string>;
  /** cheap call for readiness checks */
  ping(): Promise<void>;
}

export type PartnerCenterErrorKind =
  | "not_found"
  | "forbidden"
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
    readonly details: { status?: number; code?: number; requestId?: string; correlationId?: string } = {},
  ) {
    super(message);
  }
}
