// Partner Center's answers mapped to domain types. Nothing the service may send makes a read
// fail: a value the domain does not classify stays "unrecognised" (and blocks removal there).
import type { z } from "zod";
import {
  type AzureReservation,
  type AzureSubscription,
  type Customer,
  type PurchaseStatus,
  type RelationshipToPartner,
  type SoftwarePurchase,
  classifyOffer,
  classifySubscriptionStatus,
} from "../domain";
import type { SubscriptionRecord } from "./partner-center-api";
import { type azureEntitlementSchema, type customerSchema, type entitlementSchema, type orderSchema, type relationshipRequestSchema, type reservationArtifactSchema, subscriptionSchema } from "./response-schemas";

/**
 * Dates as Partner Center writes them, its documentation's slips included: "2015-11-25T06: 41: 12Z"
 * (spaces), "2019-02-23T00:00:00" (no zone: UTC). Anything else unreadable is null, never an error.
 */
export function readDate(value: string | null | undefined): Date | null {
  if (!value) return null;
  let text = value.replace(/\s+/g, "");
  if (/T\d{2}:\d{2}(:\d{2}(\.\d+)?)?$/.test(text)) text += "Z";
  const date = new Date(text);
  return Number.isNaN(date.getTime()) ? null : date;
}

export function toCustomer(raw: z.infer<typeof customerSchema>): Customer {
  const relationship = raw.relationshipToPartner.toLowerCase();
  const known: RelationshipToPartner[] = ["reseller", "advisor", "none"];
  return {
    tenantId: raw.companyProfile.tenantId ?? raw.id,
    companyName: raw.companyProfile.companyName,
    domain: raw.companyProfile.domain,
    relationshipToPartner: known.find((r) => r === relationship) ?? "unknown",
  };
}

/** The offer id, or the last segment of links.offer (the documented list example has only that). */
function offerIdOf(raw: z.infer<typeof subscriptionSchema>): string {
  if (raw.offerId) return raw.offerId;
  const uri = raw.links?.offer?.uri;
  if (!uri) return "";
  return uri.split("?")[0]?.split("/").filter(Boolean).at(-1) ?? "";
}

/** One subscription item; one the app cannot read at all becomes an unrecognised subscription. */
export function toSubscriptionRecord(item: unknown, index: number): SubscriptionRecord {
  const resource = (item !== null && typeof item === "object" && !Array.isArray(item) ? item : {}) as Record<string, unknown>;
  const parsed = subscriptionSchema.safeParse(item);
  if (!parsed.success) {
    const id = typeof resource.id === "string" ? resource.id : `unreadable subscription ${index + 1}`;
    return {
      id,
      offerId: typeof resource.offerId === "string" ? resource.offerId : "",
      offerName: typeof resource.friendlyName === "string" ? resource.friendlyName : id,
      quantity: typeof resource.quantity === "number" ? resource.quantity : 0,
      status: "unrecognised",
      statusText: "unreadable",
      commerceType: "unrecognised",
      cancellableUntil: null,
      commitmentEndDate: null,
      autoRenewEnabled: null,
      resource,
    };
  }
  const raw = parsed.data;
  const offerId = offerIdOf(raw);
  return {
    id: raw.id,
    offerId,
    offerName: raw.offerName ?? raw.friendlyName ?? "",
    quantity: raw.quantity ?? 0,
    status: classifySubscriptionStatus(raw.status ?? ""),
    statusText: raw.status ?? "(none)",
    commerceType: classifyOffer(offerId),
    cancellableUntil: cancellableUntilOf(raw),
    commitmentEndDate: readDate(raw.commitmentEndDate),
    autoRenewEnabled: raw.autoRenewEnabled ?? null,
    createdAt: readDate(raw.creationDate),
    effectiveStartAt: readDate(raw.effectiveStartDate),
    isTrial: raw.isTrial ?? null,
    // the documented change answer carries "etag": "": no etag to guard the next change with
    etag: raw.attributes?.etag || undefined,
    resource,
  };
}

export function toAzureSubscription(planId: string, raw: z.infer<typeof azureEntitlementSchema>): AzureSubscription {
  return { id: raw.id, planId, name: raw.friendlyName ?? raw.id, status: (raw.status ?? "unknown").toLowerCase() };
}

type Entitlement = z.infer<typeof entitlementSchema>;

/** The entitlement's own account of a reservation, when its details cannot be read. */
export function reservationFromEntitlement(raw: Entitlement, resourceId: string | null): AzureReservation {
  const details = raw.quantityDetails ?? [];
  const returned = details.length > 0 && details.every((d) => d.status.toLowerCase() === "cancelled" || d.quantity === 0);
  const orderRef = raw.referenceOrder ? `${raw.referenceOrder.id}/${raw.referenceOrder.lineItemId ?? 0}` : null;
  return {
    id: resourceId ?? orderRef ?? `${raw.productId ?? "unknown"}/${raw.skuId ?? ""}`,
    name: raw.friendlyName ?? `reservation ${[raw.productId, raw.skuId].filter(Boolean).join("/")}`.trim(),
    reservationType: raw.dynamicAttributes?.reservationType ?? null,
    quantity: raw.quantity ?? null,
    expiresAt: readDate(raw.expiryDate),
    provisioningState: returned ? "Cancelled" : null,
  };
}

/** The reservations behind one artifact link, named as Partner Center names them. */
export function reservationsFromArtifact(raw: Entitlement, resourceId: string | null, artifact: z.infer<typeof reservationArtifactSchema>): AzureReservation[] {
  const details = [...(artifact.reservations ?? []), ...(artifact.virtualMachineReservations ?? [])];
  const fallback = reservationFromEntitlement(raw, resourceId);
  return details.map((d) => ({
    id: d.reservationId ?? fallback.id,
    name: d.displayName ?? fallback.name,
    reservationType: fallback.reservationType,
    quantity: d.quantity ?? fallback.quantity,
    expiresAt: readDate(d.expiryDateTime) ?? fallback.expiresAt,
    provisioningState: d.provisioningState ?? null,
  }));
}

/**
 * Until when a new-commerce subscription can still be cancelled: cancellationAllowedUntilDate, or
 * where only refundOptions carry it (the documented marketplace answer), the latest refund's end.
 */
function cancellableUntilOf(raw: z.infer<typeof subscriptionSchema>): Date | null {
  const stated = readDate(raw.cancellationAllowedUntilDate);
  if (stated) return stated;
  const refunds = (raw.refundOptions ?? []).map((r) => readDate(r.expiresAt)).filter((d): d is Date => d !== null);
  return refunds.length > 0 ? new Date(Math.max(...refunds.map((d) => d.getTime()))) : null;
}

/** Perpetual software may be cancelled for 30 days after purchase unless Partner Center says otherwise. */
export const SOFTWARE_CANCELLATION_DAYS = 30;

/**
 * A cancelled line keeps its place in the order with quantity 0, and the order stays "completed"
 * (cancel-software-purchases.http #3): the purchase is cancelled once every line is at 0, or the
 * order says cancelled. A line whose quantity is not given counts as still held.
 */
export function toSoftwarePurchase(raw: z.infer<typeof orderSchema>): SoftwarePurchase {
  const held = raw.lineItems.filter((l) => l.quantity !== 0);
  const status: PurchaseStatus = raw.status.toLowerCase() === "cancelled" || held.length === 0 ? "cancelled" : "active";
  const explicit = readDate(raw.cancellationAllowedUntilDate ?? raw.lineItems.find((l) => l.cancellationAllowedUntilDate)?.cancellationAllowedUntilDate);
  const created = readDate(raw.creationDate);
  const cancellableUntil = explicit ?? (created ? new Date(created.getTime() + SOFTWARE_CANCELLATION_DAYS * 86_400_000) : null);
  const names = raw.lineItems.map((l) => l.friendlyName).filter((n): n is string => Boolean(n));
  return {
    id: raw.id,
    name: names.length > 0 ? names.join(", ") : `software order ${raw.id}`,
    status,
    cancellableUntil,
    // what a cancellation sends: the lines still held
    lineItems: held.map((l) => ({ lineItemNumber: l.lineItemNumber, offerId: l.offerId })),
  };
}

/** An HTML-escaped link ("&amp;") is unescaped: a person clicks the plain URL. */
export function toRequestLink(raw: z.infer<typeof relationshipRequestSchema>): string {
  return raw.url.replace(/&amp;/g, "&");
}
