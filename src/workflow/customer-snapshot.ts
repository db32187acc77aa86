// Reads everything the preconditions need about one customer: the customer, its subscriptions,
// what its entitlements hold, and the Azure subscriptions of each active Azure plan.
import type { AzureSubscription, Customer, CustomerSnapshot } from "../domain";
import { type PartnerCenterApi, PartnerCenterError } from "../partner-center/partner-center-api";

/** An Azure plan whose Azure subscriptions cannot be listed still blocks; only its list is missing. */
const LIST_UNAVAILABLE = new Set(["not_found", "invalid", "forbidden", "unexpected_response"]);

/**
 * `listed`: the customer as the customer list just gave it (the portfolio scan), which is the
 * same resource GET /customers/{id} answers, so it is not read a second time.
 */
export async function loadSnapshot(partnerCenter: PartnerCenterApi, tenantId: string, now: Date, listed?: Customer): Promise<CustomerSnapshot> {
  // the subscriptions first: the pacer spaces the three starts, and that list is the longest answer
  const [subscriptions, customer, holdings] = await Promise.all([
    partnerCenter.listSubscriptions(tenantId),
    listed ?? partnerCenter.getCustomer(tenantId),
    partnerCenter.readEntitlements(tenantId),
  ]);
  const plans = subscriptions.filter((s) => s.commerceType === "azure_plan" && s.status === "active");
  const azureSubscriptions = (
    await Promise.all(
      plans.map((plan) =>
        partnerCenter.listAzureSubscriptions(tenantId, plan.id).catch((error: unknown): AzureSubscription[] => {
          if (error instanceof PartnerCenterError && LIST_UNAVAILABLE.has(error.kind)) return [];
          throw error;
        }),
      ),
    )
  ).flat();
  return { customer, subscriptions, azureSubscriptions, ...holdings, takenAt: now };
}
