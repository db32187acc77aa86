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
  const reads = await Promise.allSettled([partnerCenter.listSubscriptions(tenantId), listed ?? partnerCenter.getCustomer(tenantId), partnerCenter.readEntitlements(tenantId)]);
  const [subscriptionsRead, customerRead, holdingsRead] = reads;
  if (subscriptionsRead.status === "rejected" || customerRead.status === "rejected" || holdingsRead.status === "rejected") {
    const errors = reads.flatMap((r): unknown[] => (r.status === "rejected" ? [r.reason] : []));
    throw await failureOf(partnerCenter, tenantId, errors, listed ? null : customerRead);
  }
  const [subscriptions, customer, holdings] = [subscriptionsRead.value, customerRead.value, holdingsRead.value];
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

/**
 * What a failed read stands for. The relationship is gone when a read answers 20002 (documented for
 * the customer read), whatever else failed alongside. A read that said "relationship does not exist"
 * with code 3000 is believed only when the customer, read, answers 20002 or shows relationshipToPartner
 * none; otherwise it stays a failure in Partner Center's words, and nothing is ended on it.
 */
async function failureOf(partnerCenter: PartnerCenterApi, tenantId: string, errors: unknown[], customerRead: PromiseSettledResult<Customer> | null): Promise<unknown> {
  const gone = errors.find((e) => e instanceof PartnerCenterError && e.kind === "no_relationship");
  if (gone) return gone;
  const said = errors.find((e): e is PartnerCenterError => e instanceof PartnerCenterError && e.kind === "relationship_unconfirmed");
  if (!said) return errors[0];
  // the customer as read alongside; read now when the scan's list gave it
  const customer = customerRead ?? (await partnerCenter.getCustomer(tenantId).then((value): PromiseSettledResult<Customer> => ({ status: "fulfilled", value }), (reason: unknown) => ({ status: "rejected", reason })));
  if (customer.status === "fulfilled" && customer.value.relationshipToPartner === "none") {
    return new PartnerCenterError("no_relationship", `${said.message}; a read of the customer showed relationshipToPartner none`, said.details);
  }
  return customer.status === "rejected" && customer.reason instanceof PartnerCenterError && customer.reason.kind === "no_relationship" ? customer.reason : said;
}
