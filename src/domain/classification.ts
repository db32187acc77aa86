// How the app tells what a Partner Center item is. Anything these functions do not recognise
// comes back as "unrecognised", and the preconditions block on it: the app fails closed.
import type { AzureReservation, CommerceType, SubscriptionStatus } from "./customer";
import { SUBSCRIPTION_STATUSES } from "./customer";

/** The Azure plan's product id; its offer ids are "DZH318Z0BPS6:0001[:…]". */
export const AZURE_PLAN_PRODUCT_ID = "DZH318Z0BPS6";

const GUID = /^[0-9A-F]{8}-[0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{12}$/;
const LEGACY_AZURE = /^MS-AZR-\d{4}P$/;
/** product:sku[:availability], the catalogue ids of new commerce and the marketplace */
const CATALOGUE_ID = /^[A-Z0-9]{12}:[A-Z0-9]{4}(:[A-Z0-9]{12})?$/;

export function classifyOffer(offerId: string): CommerceType {
  const id = offerId.trim().toUpperCase();
  if (id.split(":")[0] === AZURE_PLAN_PRODUCT_ID) return "azure_plan";
  if (GUID.test(id) || LEGACY_AZURE.test(id)) return "legacy";
  if (CATALOGUE_ID.test(id)) return "nce";
  return "unrecognised";
}

export function classifySubscriptionStatus(raw: string): SubscriptionStatus {
  const status = raw.trim().toLowerCase();
  return SUBSCRIPTION_STATUSES.find((known) => known === status) ?? "unrecognised";
}

export type EntitlementKind = "software" | "reservation" | "unrecognised";

/** reservedinstance today; the legacy names come back only when asked for (or in old records) */
const RESERVATION_TYPES = new Set(["reservedinstance", "virtualmachinereservedinstance", "virtual_machine_reserved_instance"]);

export function classifyEntitlementType(raw: string): EntitlementKind {
  const type = raw.trim().toLowerCase();
  if (type === "software") return "software";
  if (RESERVATION_TYPES.has(type)) return "reservation";
  return "unrecognised";
}

/** Reservations that no longer count: returned in the Azure portal, cancelled, or run out. */
const FINISHED_RESERVATION_STATES = new Set(["cancelled", "canceled", "expired", "returned"]);
/** Azure's provisioning states of a reservation that is (or is becoming) live */
const LIVE_RESERVATION_STATES = new Set(["succeeded", "created", "creating", "pending", "pendingbilling", "confirmedbilling", "pendingresourcehold", "confirmedresourcehold"]);

/**
 * blocking: a live reservation (or one whose details could not be read); finished: cancelled,
 * returned or expired; unrecognised: a state the app does not know.
 */
export function reservationStanding(reservation: AzureReservation, now: Date): "blocking" | "finished" | "unrecognised" {
  const state = reservation.provisioningState?.trim().toLowerCase() ?? null;
  if (state !== null && FINISHED_RESERVATION_STATES.has(state)) return "finished";
  if (reservation.expiresAt !== null && reservation.expiresAt.getTime() < now.getTime()) return "finished";
  if (state === null || LIVE_RESERVATION_STATES.has(state)) return "blocking";
  return "unrecognised";
}
