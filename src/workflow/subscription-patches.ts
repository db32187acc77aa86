// Applies the PATCHes one subscription action takes (the domain's changesFor), one after the
// other: each sends the full resource as last read. The last PATCH uses the given MS-RequestId;
// the ones before it ids derived from it, so a repeated action repeats the same calls.
import { AZURE_PLAN_STEPS, type SubscriptionChange } from "../domain";
import { type PartnerCenterApi, PartnerCenterError, type SubscriptionRef, type SubscriptionUpdate } from "../partner-center/partner-center-api";
import { deriveRequestId } from "../partner-center/request-ids";

export async function applySubscriptionChanges(
  partnerCenter: PartnerCenterApi,
  tenantId: string,
  subscription: SubscriptionRef,
  changes: SubscriptionChange[],
  requestId: string,
): Promise<SubscriptionUpdate> {
  let current: SubscriptionRef = subscription;
  let last: SubscriptionUpdate | null = null;
  for (const [index, change] of changes.entries()) {
    const id = index === changes.length - 1 ? requestId : deriveRequestId(requestId, `step-${index}`);
    last = await partnerCenter.updateSubscription(tenantId, current, change, { requestId: id });
    current = last.value;
  }
  if (!last) throw new Error("no change to apply");
  return last;
}

/** A Partner Center failure in the words an operator acts on. */
export function describeChangeError(error: unknown): string {
  if (error instanceof PartnerCenterError && error.kind === "azure_plan_active") {
    return `Partner Center will not suspend the Azure plan while any of its Azure subscriptions is active or a reservation is live. ${AZURE_PLAN_STEPS}`;
  }
  return error instanceof Error ? error.message : String(error);
}
