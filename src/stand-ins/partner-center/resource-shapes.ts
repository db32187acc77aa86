// The JSON the emulator answers with, in the shapes and casing of Partner Center's own examples.
import type { EmuCustomer, EmuEntitlement, EmuOrder, EmuSubscription } from "./emulator-state";

/** Partner Center answers PATCH calls in PascalCase (see the documentation's examples). */
export function pascalCaseKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(pascalCaseKeys);
  if (value !== null && typeof value === "object") {
    const out: Record<string, unknown> = {};
    for (const [key, inner] of Object.entries(value)) out[key.charAt(0).toUpperCase() + key.slice(1)] = pascalCaseKeys(inner);
    return out;
  }
  return value;
}

export function link(uri: string) {
  return { uri, method: "GET", headers: [] as Array<{ key: string; value: string }> };
}

export function collection<T>(items: T[], extra: Record<string, unknown> = {}) {
  return { totalCount: items.length, items, ...extra, attributes: { objectType: "Collection" } };
}

export function customerJson(c: EmuCustomer) {
  return {
    id: c.id,
    commerceId: c.id,
    companyProfile: { tenantId: c.id, domain: c.domain, companyName: c.companyName, attributes: { objectType: "CustomerCompanyProfile" } },
    billingProfile: { companyName: c.companyName, attributes: { objectType: "CustomerBillingProfile" } },
    relationshipToPartner: c.relationshipToPartner,
    allowDelegatedAccess: c.relationshipToPartner !== "none",
    links: { self: link(`/customers/${c.id}`) },
    attributes: { objectType: "Customer" },
  };
}

/** The documented answer to the removal: everything null but the relationship. */
export function removedCustomerJson() {
  return {
    Id: null,
    CommerceId: null,
    CompanyProfile: null,
    BillingProfile: null,
    RelationshipToPartner: "none",
    AllowDelegatedAccess: null,
    UserCredentials: null,
    CustomDomains: null,
    AssociatedPartnerId: null,
    Attributes: { ObjectType: "Customer" },
  };
}

export function subscriptionJson(tenantId: string, s: EmuSubscription) {
  return {
    id: s.id,
    offerId: s.offerId,
    entitlementId: s.id,
    offerName: s.offerName,
    friendlyName: s.offerName,
    quantity: s.quantity,
    unitType: s.billingType === "usage" ? "Usage-based" : "Licenses",
    creationDate: s.creationDate,
    effectiveStartDate: s.creationDate,
    commitmentEndDate: s.commitmentEndDate,
    status: s.status,
    autoRenewEnabled: s.status === "active",
    isTrial: false,
    billingType: s.billingType,
    billingCycle: "monthly",
    ...(s.termDuration ? { termDuration: s.termDuration } : {}),
    ...(s.cancellationAllowedUntilDate ? { cancellationAllowedUntilDate: s.cancellationAllowedUntilDate } : {}),
    contractType: "subscription",
    links: { offer: link(`/offers/${s.offerId}?country=NL`), self: link(`/customers/${tenantId}/subscriptions/${s.id}`) },
    orderId: s.orderId,
    attributes: { etag: s.etag, objectType: "Subscription" },
  };
}

export function entitlementJson(tenantId: string, e: EmuEntitlement) {
  return {
    includedEntitlements: [],
    referenceOrder: { id: e.orderId, lineItemId: String(e.lineItemId) },
    productId: e.productId,
    quantity: e.quantity,
    quantityDetails: [{ quantity: e.quantity, status: e.fulfilmentStatus }],
    entitledArtifacts: [
      {
        link: link(`/customers/${tenantId}/artifacts/${e.entitlementType.replace(/_/g, "")}/lineitems/${e.orderId}/resource/${e.resourceId}`),
        resourceId: e.resourceId,
        artifactType: e.entitlementType,
      },
    ],
    skuId: e.skuId,
    entitlementType: e.entitlementType,
    // not in the recording: an emulator extension so people see what the reservation is
    friendlyName: e.friendlyName,
  };
}

export function orderJson(tenantId: string, o: EmuOrder) {
  return {
    id: o.id,
    referenceCustomerId: tenantId,
    billingCycle: "one_time",
    currencyCode: "EUR",
    status: o.status,
    creationDate: o.creationDate,
    // not in Partner Center's order resource: the window the emulator enforces, so the client need not guess
    cancellationAllowedUntilDate: o.cancellationAllowedUntilDate,
    lineItems: o.lineItems.map((l) => ({ ...l, links: { product: link(`/products/${l.offerId.split(":")[0] ?? ""}`) } })),
    links: { self: link(`/customers/${tenantId}/orders/${o.id}`) },
    attributes: { objectType: "Order" },
  };
}
