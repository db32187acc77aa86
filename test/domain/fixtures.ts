// Builders for domain tests: each returns a plausible, non-blocking value unless told otherwise.
import {
  type AzureReservation,
  type AzureSubscription,
  type CaseState,
  type Customer,
  type CustomerSnapshot,
  type RemovalCase,
  type SoftwarePurchase,
  type Subscription,
  openCase,
} from "../../src/domain";

export const NOW = new Date("2026-11-24T10:00:00.000Z");
export const HOUR = 60 * 60 * 1000;
export const DAY = 24 * HOUR;

export function at(offsetMs: number): Date {
  return new Date(NOW.getTime() + offsetMs);
}

export function customer(overrides: Partial<Customer> = {}): Customer {
  return { tenantId: "tenant-1", companyName: "Contoso", domain: "contoso.example", relationshipToPartner: "reseller", ...overrides };
}

export function legacySubscription(overrides: Partial<Subscription> = {}): Subscription {
  return {
    id: "sub-legacy",
    offerId: "offer-legacy",
    offerName: "Office 365 E3",
    quantity: 10,
    status: "active",
    statusText: overrides.status ?? "active",
    commerceType: "legacy",
    cancellableUntil: null,
    commitmentEndDate: null,
    autoRenewEnabled: null,
    ...overrides,
  };
}

export function nceSubscription(overrides: Partial<Subscription> = {}): Subscription {
  return {
    id: "sub-nce",
    offerId: "offer-nce",
    offerName: "Microsoft 365 Business Premium",
    quantity: 5,
    status: "active",
    statusText: overrides.status ?? "active",
    commerceType: "nce",
    cancellableUntil: at(3 * DAY),
    commitmentEndDate: at(300 * DAY),
    autoRenewEnabled: true,
    ...overrides,
  };
}

export function azurePlan(overrides: Partial<Subscription> = {}): Subscription {
  return {
    id: "plan-1",
    offerId: "DZH318Z0BPS6:0001",
    offerName: "Azure plan",
    quantity: 1,
    status: "active",
    statusText: overrides.status ?? "active",
    commerceType: "azure_plan",
    cancellableUntil: null,
    commitmentEndDate: null,
    autoRenewEnabled: null,
    ...overrides,
  };
}

export function azureSubscription(overrides: Partial<AzureSubscription> = {}): AzureSubscription {
  return { id: "azure-1", planId: "plan-1", name: "Microsoft Azure", status: "active", ...overrides };
}

export function reservation(overrides: Partial<AzureReservation> = {}): AzureReservation {
  return { id: "ri-1", name: "D2s v3 reserved instance", reservationType: "virtualmachines", quantity: 1, expiresAt: at(200 * DAY), provisioningState: "Succeeded", ...overrides };
}

export function softwarePurchase(overrides: Partial<SoftwarePurchase> = {}): SoftwarePurchase {
  return {
    id: "order-1",
    name: "Windows Server 2022 Standard",
    status: "active",
    cancellableUntil: at(5 * DAY),
    lineItems: [{ lineItemNumber: 0, offerId: "DG7GMGF0D3SJ:0001" }],
    ...overrides,
  };
}

export function snapshot(parts: Partial<CustomerSnapshot> = {}): CustomerSnapshot {
  return { customer: customer(), subscriptions: [], azureSubscriptions: [], reservations: [], softwarePurchases: [], unrecognised: [], takenAt: NOW, ...parts };
}

export const REQUESTER = "U_REQUESTER";
export const APPROVER = "U_APPROVER";
export const OPENER = "U_OPENER";

export function freshCase(): RemovalCase {
  return openCase({ id: "case-1", tenantId: "tenant-1", companyName: "Contoso", domain: "contoso.example", openedBy: OPENER, now: NOW });
}

/** A case sitting in `state`, with the fields a case in that state would carry (requested now, expiring in a day). */
export function caseIn(state: CaseState, overrides: Partial<RemovalCase> = {}): RemovalCase {
  const requested = state !== "open";
  return {
    ...freshCase(),
    state,
    requestedBy: requested ? REQUESTER : null,
    requestedAt: requested ? NOW : null,
    expiresAt: requested ? at(DAY) : null,
    version: 3,
    ...overrides,
  };
}

/** Freezes the case so an accidental property write throws instead of passing silently. */
export function frozen(c: RemovalCase): RemovalCase {
  return Object.freeze(c);
}
