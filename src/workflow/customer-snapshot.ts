import type { CustomerSnapshot } from "../domain";
import type { PartnerCenterApi } from "../partner-center/partner-center-api";

/** Reads everything the preconditions need about one customer, in parallel. */
export async function loadSnapshot(partnerCenter: PartnerCenterApi, tenantId: string, now: Date): Promise<CustomerSnapshot> {
  const [customer, subscriptions, reservations, softwarePurchases] = await Promise.all([
    partnerCenter.getCustomer(tenantId),
    partnerCenter.listSubscriptions(tenantId),
    partnerCenter.listAzureReservations(tenantId),
    partnerCenter.listSoftwarePurchases(tenantId),
  ]);
  return { customer, subscriptions, reservations, softwarePurchases, takenAt: now };
}
