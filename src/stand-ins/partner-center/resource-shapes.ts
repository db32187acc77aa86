// The JSON the emulator answers with, in the shapes and casing of Partner Center's own examples.
import type { EmuAzureSubscription, EmuCustomer, EmuEntitlement, EmuOrder, EmuSubscription } from "./emulator-state";

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
    companyProfile: {
      tenantId: c.id,
      domain: c.domain,
      companyName: c.companyName,
      links: { self: link(`/customers/${c.id}/profiles/company`) },
      attributes: { objectType: "CustomerCompanyProfile" },
    },
    billingProfile: { companyName: c.companyName, attributes: { objectType: "CustomerBillingProfile" } },
    relationshipToPartner: c.relationshipToPartner,
    allowDelegatedAccess: c.relationshipToPartner !== "none",
    customDomains: [c.domain],
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
  const nce = s.commerceType === "nce";
  return {
    id: s.id,
    offerId: s.offerId,
    entitlementId: s.id,
    offerName: s.offerName,
    friendlyName: s.offerName,
    quantity: s.quantity,
    unitType: s.billingType === "usage" ? "Usage-based" : "Licenses",
    hasPurchasableAddons: false,
    creationDate: s.creationDate,
    effectiveStartDate: s.creationDate,
    ...(s.commitmentEndDate ? { commitmentEndDate: s.commitmentEndDate } : {}),
    ...(nce && s.cancellationAllowedUntilDate ? { cancellationAllowedUntilDate: s.cancellationAllowedUntilDate } : {}),
    status: s.status,
    autoRenewEnabled: s.autoRenewEnabled,
    isTrial: false,
    billingType: s.billingType,
    billingCycle: s.commerceType === "legacy" ? "monthly" : nce ? "annual" : "monthly",
    ...(s.termDuration ? { termDuration: s.termDuration } : {}),
    ...(nce && s.cancellationAllowedUntilDate ? { refundOptions: [{ type: "Full", expiresAt: s.cancellationAllowedUntilDate }] } : {}),
    isMicrosoftProduct: true,
    partnerId: "",
    contractType: "subscription",
    links: { offer: link(`/offers/${s.offerId}?country=NL`), self: link(`/customers/${tenantId}/subscriptions/${s.id}`) },
    orderId: s.orderId,
    attributes: { etag: s.etag, objectType: "Subscription" },
  };
}

/** An Azure plan's Azure subscriptions, as its azureEntitlements answer lists them. */
export function azureEntitlementJson(plan: EmuSubscription, a: EmuAzureSubscription) {
  return { id: a.id, friendlyName: a.friendlyName, status: a.status, subscriptionId: plan.id };
}

/** The legacy name of a VM reservation, given only when asked for with entitlementType=virtualmachinereservedinstance. */
export const LEGACY_VM_RESERVATION_TYPE = "virtual_machine_reserved_instance";

export function entitlementJson(tenantId: string, e: EmuEntitlement, options: { showExpiry: boolean; legacyName?: boolean }) {
  const reservation = e.entitlementType === "reservedinstance";
  const type = reservation && options.legacyName ? LEGACY_VM_RESERVATION_TYPE : e.entitlementType;
  const artifactPath = options.legacyName ? "virtualmachinereservedinstance" : "reservedinstance";
  return {
    includedEntitlements: [],
    referenceOrder: { id: e.orderId, lineItemId: e.lineItemId },
    productId: e.productId,
    quantity: e.quantity,
    entitledArtifacts: reservation
      ? [
          {
            link: link(`/customers/${tenantId}/artifacts/${artifactPath}/groups/${e.groupId}/lineitems/${e.lineItemId}/resource/${e.resourceId}`),
            resourceId: e.resourceId,
            artifactType: type,
          },
        ]
      : [],
    skuId: e.skuId,
    entitlementType: type,
    ...(reservation && !options.legacyName && e.reservationType ? { dynamicAttributes: { reservationType: e.reservationType } } : {}),
    ...(options.showExpiry && e.expiryDate ? { expiryDate: e.expiryDate } : {}),
  };
}

/** What an entitlement's artifact link answers: the reservation's details (documented key, displayName added). */
export function reservationArtifactJson(e: EmuEntitlement, legacyName: boolean) {
  return {
    type: legacyName ? LEGACY_VM_RESERVATION_TYPE : "reservedinstance",
    virtualMachineReservations: (e.reservations ?? []).map((r) => ({
      reservationId: r.reservationId,
      displayName: r.displayName,
      scopeType: r.scopeType,
      quantity: r.quantity,
      expiryDateTime: r.expiryDateTime,
      effectiveDateTime: r.effectiveDateTime,
      provisioningState: r.provisioningState,
    })),
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
    lineItems: o.lineItems.map((l) => {
      const [product = "", sku = ""] = l.offerId.split(":");
      return { ...l, links: { product: link(`/products/${product}?country=NL`), sku: link(`/products/${product}/skus/${sku}?country=NL`) } };
    }),
    links: { self: link(`/customers/${tenantId}/orders/${o.id}`), provisioningStatus: link(`/customers/${tenantId}/orders/${o.id}/provisioningstatus`) },
    attributes: { objectType: "Order" },
  };
}
