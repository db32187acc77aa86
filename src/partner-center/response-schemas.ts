// What Partner Center answers, validated at the edge. Keys are normalised to camelCase first:
// collection reads are camelCase, the documented PATCH answers PascalCase. Collections hold
// their items unparsed: each item is read on its own (response-mapping.ts), so one item the app
// cannot read becomes an unrecognised item instead of failing the whole read.
import { z } from "zod";

/**
 * Lower-cases the first letter of every object key, recursively ("Attributes.Etag" →
 * "attributes.etag"). Every answer passes through it: for a list of 500 subscriptions the plain
 * version (entries, charAt, toLowerCase, slice per key) took 2.2 ms, more than JSON.parse; keys
 * already in camelCase (nearly all) are now kept as they are: 1.0 ms. A "__proto__" key (no
 * Partner Center field) is dropped: assigned, it would set the copy's prototype.
 */
export function camelCaseKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(camelCaseKeys);
  if (value === null || typeof value !== "object") return value;
  const source = value as Record<string, unknown>;
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(source)) {
    if (key === "__proto__") continue;
    const inner = source[key];
    out[camelCased(key)] = typeof inner === "object" && inner !== null ? camelCaseKeys(inner) : inner;
  }
  return out;
}

function camelCased(key: string): string {
  const first = key.charCodeAt(0);
  if (first >= 65 && first <= 90) return String.fromCharCode(first + 32) + key.slice(1);
  return first < 128 ? key : key.charAt(0).toLowerCase() + key.slice(1);
}

const optionalText = z.string().nullish();

export const linkSchema = z.object({
  uri: z.string(),
  method: z.string().nullish(),
  headers: z.array(z.object({ key: z.string(), value: z.string() })).nullish(),
});

/** A collection whose items are read one by one. */
export const looseCollectionSchema = z.object({
  totalCount: z.number().nullish(),
  items: z.array(z.unknown()),
  links: z.object({ next: linkSchema.nullish() }).nullish(),
});

export function collectionSchema<T extends z.ZodType>(item: T) {
  return z.object({
    totalCount: z.number().nullish(),
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
  // the documented list example carries no offerId, only links.offer
  offerId: optionalText,
  offerName: optionalText,
  friendlyName: optionalText,
  quantity: z.number().nullish(),
  status: optionalText,
  termDuration: optionalText,
  cancellationAllowedUntilDate: optionalText,
  /** new commerce: the refund a cancellation still gets, and until when (cancel-an-azure-marketplace-subscription.http) */
  refundOptions: z.array(z.object({ type: optionalText, expiresAt: optionalText })).nullish(),
  commitmentEndDate: optionalText,
  autoRenewEnabled: z.boolean().nullish(),
  creationDate: optionalText,
  effectiveStartDate: optionalText,
  isTrial: z.boolean().nullish(),
  links: z.object({ offer: linkSchema.nullish() }).nullish(),
  attributes: z.object({ etag: optionalText }).nullish(),
});

export const entitlementSchema = z.object({
  entitlementType: optionalText,
  productId: optionalText,
  skuId: optionalText,
  friendlyName: optionalText,
  quantity: z.number().nullish(),
  // the 2018 records' way of saying a reservation was returned
  quantityDetails: z.array(z.object({ quantity: z.number(), status: z.string() })).nullish(),
  referenceOrder: z.object({ id: z.string(), lineItemId: z.union([z.string(), z.number()]).nullish() }).nullish(),
  entitledArtifacts: z.array(z.object({ link: linkSchema.nullish(), resourceId: optionalText, artifactType: optionalText })).nullish(),
  dynamicAttributes: z.object({ reservationType: optionalText }).nullish(),
  expiryDate: optionalText,
});

const reservationDetailSchema = z.object({
  reservationId: optionalText,
  displayName: optionalText,
  quantity: z.number().nullish(),
  expiryDateTime: optionalText,
  provisioningState: optionalText,
});

/** What an entitlement's artifact link answers for a reservation. */
export const reservationArtifactSchema = z.object({
  type: optionalText,
  virtualMachineReservations: z.array(reservationDetailSchema).nullish(),
  reservations: z.array(reservationDetailSchema).nullish(),
});

export const azureEntitlementSchema = z.object({
  id: z.string(),
  friendlyName: optionalText,
  status: optionalText,
});

const lineItemSchema = z.object({
  lineItemNumber: z.number(),
  offerId: z.string(),
  /** 0 once the line is cancelled (the order itself stays "completed", cancel-software-purchases.http #3) */
  quantity: z.number().nullish(),
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
