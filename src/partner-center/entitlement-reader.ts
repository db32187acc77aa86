// Reads what a customer's entitlements say it holds: reservations (with the details behind each
// artifact link), software purchases (the orders that software entitlements point at), and
// anything of a type the app does not know, which the domain then blocks on. App+User, with
// showExpiry=true so expiry dates are filled in.
import { type AzureReservation, type SoftwarePurchase, type UnrecognisedItem, classifyEntitlementType } from "../domain";
import type { PartnerCenterTransport } from "./http-transport";
import { type EntitlementHoldings, PartnerCenterError } from "./partner-center-api";
import { reservationFromEntitlement, reservationsFromArtifact, toSoftwarePurchase } from "./response-mapping";
import { readAllItems } from "./paged-reads";
import { entitlementSchema, orderSchema, reservationArtifactSchema } from "./response-schemas";
import type { z } from "zod";

type Entitlement = z.infer<typeof entitlementSchema>;

/** Errors that leave a reservation's details unread but the reservation itself counted. */
const DETAIL_UNAVAILABLE = new Set(["not_found", "unexpected_response", "invalid", "forbidden"]);

export async function readEntitlements(transport: PartnerCenterTransport, tenantId: string): Promise<EntitlementHoldings> {
  const path = `/customers/${encodeURIComponent(tenantId)}`;
  const listed = await readAllItems(transport, { path: `${path}/entitlements?showExpiry=true`, auth: "app_user", context: { operation: "list entitlements", tenantId } });
  const unrecognised: UnrecognisedItem[] = [];
  const software = new Map<string, Entitlement>();
  const reservationReads: Array<Promise<AzureReservation[]>> = [];
  listed.forEach((item, index) => {
    const parsed = entitlementSchema.safeParse(item);
    if (!parsed.success) {
      unrecognised.push({ id: `entitlement-${index + 1}`, name: `entitlement ${index + 1}`, what: "an entitlement in a form the app cannot read" });
      return;
    }
    const entitlement = parsed.data;
    const type = entitlement.entitlementType ?? "";
    const kind = classifyEntitlementType(type);
    if (kind === "reservation") reservationReads.push(readReservations(transport, tenantId, entitlement));
    else if (kind === "software" && entitlement.referenceOrder) software.set(entitlement.referenceOrder.id.toLowerCase(), entitlement);
    else {
      const name = entitlement.friendlyName ?? ([entitlement.productId, entitlement.skuId].filter(Boolean).join("/") || `entitlement ${index + 1}`);
      const what = kind === "software" ? "a software entitlement without an order" : `an entitlement of type "${type}"`;
      unrecognised.push({ id: entitlement.referenceOrder?.id ?? entitlement.productId ?? `entitlement-${index + 1}`, name, what });
    }
  });
  const [reservations, softwarePurchases] = await Promise.all([
    Promise.all(reservationReads).then((lists) => lists.flat()),
    software.size > 0 ? readSoftwarePurchases(transport, tenantId, software, unrecognised) : Promise.resolve([]),
  ]);
  return { reservations, softwarePurchases, unrecognised };
}

/** Follows each artifact link; a reservation whose details cannot be read is still counted. */
async function readReservations(transport: PartnerCenterTransport, tenantId: string, entitlement: Entitlement): Promise<AzureReservation[]> {
  const artifacts = entitlement.entitledArtifacts ?? [];
  if (artifacts.length === 0) return [reservationFromEntitlement(entitlement, null)];
  const found: AzureReservation[] = [];
  for (const artifact of artifacts) {
    const resourceId = artifact.resourceId ?? null;
    const link = artifact.link;
    if (!link) {
      found.push(reservationFromEntitlement(entitlement, resourceId));
      continue;
    }
    try {
      const details = await transport.send({
        method: "GET",
        path: link.uri,
        headers: Object.fromEntries((link.headers ?? []).map((h) => [h.key, h.value])),
        auth: "app_user",
        schema: reservationArtifactSchema,
        context: { operation: "read reservation details", tenantId },
      });
      const reservations = reservationsFromArtifact(entitlement, resourceId, details.value);
      found.push(...(reservations.length > 0 ? reservations : [reservationFromEntitlement(entitlement, resourceId)]));
    } catch (error) {
      if (!(error instanceof PartnerCenterError && DETAIL_UNAVAILABLE.has(error.kind))) throw error;
      found.push(reservationFromEntitlement(entitlement, resourceId));
    }
  }
  return found;
}

async function readSoftwarePurchases(transport: PartnerCenterTransport, tenantId: string, software: Map<string, Entitlement>, unrecognised: UnrecognisedItem[]): Promise<SoftwarePurchase[]> {
  const orders = await readAllItems(transport, { path: `/customers/${encodeURIComponent(tenantId)}/orders`, auth: "app", context: { operation: "list orders", tenantId } });
  const purchases: SoftwarePurchase[] = [];
  const seen = new Set<string>();
  for (const item of orders) {
    const parsed = orderSchema.safeParse(item);
    if (!parsed.success || !software.has(parsed.data.id.toLowerCase())) continue;
    seen.add(parsed.data.id.toLowerCase());
    purchases.push(toSoftwarePurchase(parsed.data));
  }
  for (const [orderId, entitlement] of software) {
    if (seen.has(orderId)) continue;
    const name = entitlement.friendlyName ?? [entitlement.productId, entitlement.skuId].filter(Boolean).join("/");
    unrecognised.push({ id: entitlement.referenceOrder?.id ?? orderId, name: name || `software order ${orderId}`, what: `a software entitlement whose order ${entitlement.referenceOrder?.id ?? orderId} the app cannot read` });
  }
  return purchases;
}
