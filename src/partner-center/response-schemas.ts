// What Partner Center answers, validated at the edge and mapped to domain types. Keys are
// normalised to camelCase first: collection reads are camelCase, PATCH responses PascalCase.
import { z } from "zod";
import { SUBSCRIPTION_STATUSES, type AzureReservation, type Customer, type PurchaseStatus, type RelationshipToPartner, type SoftwarePurchase, type Subscription, type SubscriptionStatus } from "../domain";

/** Lower-cases the first letter of every object key, recursively ("Attributes.Etag" → "attributes.etag"). */
export function camelCaseKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(camelCaseKeys);
  if (value !== null && typeof value === "object") {
    const out: Record<string, unknown> = {};
    for (const [key, inner] of Object.entries(value)) out[key.charAt(0).toLowerCase() + key.slice(1)] = camelCaseKeys(inner);
    return out;
  }
  return value;
}

const optionalText = z.string().nullish();

export const linkSchema = z.object({
  uri: z.string(),
  method: z.string().optional(),
  headers: z.array(z.object({ key: z.string(), value: z.string() })).nullish(),
});

export function collectionSchema<T extends z.ZodType>(item: T) {
  return z.object({
    totalCount: z.number().optional(),
    items: z.array(item),
    links: z.object({ next: linkSchema.nullish() }).nullish(),
  });
}

export const customerSchema = z.object({
  id: z.string(),
  companyProfile: z.object({ tenantId: optionalText, domain: z.string(), companyName: z.string() }),
  relationshipToPartner: z.string(),
});

export const subscriptionSchema = z.object({
  id: z.string(),
  // the recorded suspend response carries neither offerId nor offerName
  offerId: optionalText,
  offerName: optionalText,
  friendlyName: optionalText,
  quantity: z.number(),
  status: z.string(),
  termDuration: optionalText,
  cancellationAllowedUntilDate: optionalText,
  commitmentEndDate: optionalText,
  attributes: z.object({ etag: optionalText }).nullish(),
});

export const entitlementSchema = z.object({
  entitlementType: z.string(),
  productId: optionalText,
  skuId: optionalText,
  friendlyName: optionalText,
  quantity: z.number().optional(),
  quantityDetails: z.array(z.object({ quantity: z.number(), status: z.string() })).nullish(),
  referenceOrder: z.object({ id: z.string(), lineItemId: z.union([z.string(), z.number()]).nullish() }).nullish(),
  entitledArtifacts: z.array(z.object({ resourceId: optionalText, artifactType: optionalText })).nullish(),
  expiryDate: optionalText,
});

const lineItemSchema = z.object({
  lineItemNumber: z.number(),
  offerId: z.string(),
  friendlyName: optionalText,
  cancellationAllowedUntilDate: optionalText,
});

export const orderSchema = z.object({
  id: z.string(),
  status: z.string(),
  creationDate: optionalText,
  cancellationAllowedUntilDate: optionalText,
  lineItems: z.array(lineItemSchema),
});

export const removalSchema = z.object({ relationshipToPartner: z.string() });
export const relationshipRequestSchema = z.object({ url: z.string() });

/** Thrown by the mappers when a value parses but means nothing we know; the client reports it as unexpected_response. */
export class UnexpectedValueError extends Error {}

function toDate(value: string | null | undefined): Date | null {
  if (!value) return null;
  const date = new Date(value);
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

/** NCE product ids are "product:sku[:availability]"; legacy offer ids are GUIDs or MS-AZR-… ids. */
export function isNceOfferId(offerId: string): boolean {
  return offerId.includes(":");
}

export function toSubscription(raw: z.infer<typeof subscriptionSchema>): Subscription {
  const status = raw.status.toLowerCase();
  const known = SUBSCRIPTION_STATUSES.find((s): s is SubscriptionStatus => s === status);
  if (!known) throw new UnexpectedValueError(`subscription ${raw.id} has an unknown status "${raw.status}"`);
  const offerId = raw.offerId ?? "";
  return {
    id: raw.id,
    offerId,
    offerName: raw.offerName ?? raw.friendlyName ?? "",
    quantity: raw.quantity,
    status: known,
    commerceType: isNceOfferId(offerId) || Boolean(raw.termDuration) ? "nce" : "legacy",
    cancellableUntil: toDate(raw.cancellationAllowedUntilDate),
    commitmentEndDate: toDate(raw.commitmentEndDate),
    etag: raw.attributes?.etag ?? undefined,
  };
}

export const RESERVATION_ENTITLEMENT_TYPES = ["virtual_machine_reserved_instance", "reserved_instance", "azure_savings_plan", "savings_plan"];
export const SOFTWARE_ENTITLEMENT_TYPE = "software";

type Entitlement = z.infer<typeof entitlementSchema>;

export function isReservation(entitlement: Entitlement): boolean {
  return RESERVATION_ENTITLEMENT_TYPES.includes(entitlement.entitlementType.toLowerCase());
}

/**
 * A reservation is cancelled once every quantity detail says "cancelled" (what the Azure portal's
 * return leaves behind) or its expiry date has passed; any other state, pending fulfilment
 * included, still blocks removal. Partner Center has no cancellation window for it: null.
 */
export function toReservation(raw: Entitlement, now: Date): AzureReservation {
  const artifact = raw.entitledArtifacts?.find((a) => a.resourceId);
  const orderId = raw.referenceOrder?.id;
  const id = artifact?.resourceId ?? (orderId ? `${orderId}/${raw.referenceOrder?.lineItemId ?? 0}` : `${raw.productId ?? "unknown"}/${raw.skuId ?? ""}`);
  const details = raw.quantityDetails ?? [];
  const allCancelled = details.length > 0 && details.every((d) => d.status.toLowerCase() === "cancelled" || d.quantity === 0);
  const expiry = toDate(raw.expiryDate);
  const expired = expiry !== null && expiry.getTime() < now.getTime();
  const kind = raw.entitlementType.toLowerCase().includes("savings") ? "Azure savings plan" : "Azure reserved VM instance";
  return {
    id,
    name: raw.friendlyName ?? `${kind} ${[raw.productId, raw.skuId].filter(Boolean).join("/")}`.trim(),
    status: allCancelled || expired ? "cancelled" : "active",
    cancellableUntil: null,
  };
}

/** Perpetual software may be cancelled for 30 days after purchase unless Partner Center says otherwise. */
export const SOFTWARE_CANCELLATION_DAYS = 30;

export function toSoftwarePurchase(raw: z.infer<typeof orderSchema>): SoftwarePurchase {
  const status: PurchaseStatus = raw.status.toLowerCase() === "cancelled" ? "cancelled" : "active";
  const explicit = toDate(raw.cancellationAllowedUntilDate ?? raw.lineItems.find((l) => l.cancellationAllowedUntilDate)?.cancellationAllowedUntilDate);
  const created = toDate(raw.creationDate);
  const cancellableUntil = explicit ?? (created ? new Date(created.getTime() + SOFTWARE_CANCELLATION_DAYS * 86_400_000) : null);
  const names = raw.lineItems.map((l) => l.friendlyName).filter((n): n is string => Boolean(n));
  return {
    id: raw.id,
    name: names.length > 0 ? names.join(", ") : `software order ${raw.id}`,
    status,
    cancellableUntil,
    lineItems: raw.lineItems.map((l) => ({ lineItemNumber: l.lineItemNumber, offerId: l.offerId })),
  };
}

/** The recorded link is HTML-escaped ("&amp;"); a person clicks the plain URL. */
export function toRequestLink(raw: z.infer<typeof relationshipRequestSchema>): string {
  return raw.url.replace(/&amp;/g, "&");
}
