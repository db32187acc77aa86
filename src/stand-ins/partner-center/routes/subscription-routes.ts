// Subscriptions: the customer's list, one subscription, the full-resource PATCH that changes its
// status or auto-renew, and an Azure plan's Azure subscriptions.
import { HttpError, header, json } from "../answers";
import type { EmuCustomer, EmuSubscription } from "../emulator-state";
import { azureEntitlementJson, collection, pascalCaseKeys, subscriptionJson } from "../resource-shapes";
import { liveReservationCount, patchSubscription } from "../service-rules";
import type { EmulatorWorld } from "../world";
import type { Route } from "./route-table";

function findSubscription(c: EmuCustomer, subId: string): EmuSubscription {
  const s = c.subscriptions.find((x) => x.id.toLowerCase() === subId.toLowerCase());
  if (!s) throw new HttpError(404, 800002, `Subscription ${subId} was not found for customer ${c.id}.`);
  return s;
}

/** If-Match as sent, without a weak marker or quotes */
function etagOf(value: string | undefined): string | undefined {
  return value?.replace(/^W\//, "").replace(/^"|"$/g, "");
}

export function subscriptionRoutes(world: EmulatorWorld): Route[] {
  return [
    {
      method: "GET",
      pattern: "customers/{customer}/subscriptions",
      handle: ([id = ""]) => {
        const c = world.findCustomer(id);
        return json(200, collection(c.subscriptions.map((s) => subscriptionJson(c.id, s))));
      },
    },
    {
      method: "GET",
      pattern: "customers/{customer}/subscriptions/{subscription}",
      handle: ([id = "", subId = ""]) => {
        const c = world.findCustomer(id);
        return json(200, subscriptionJson(c.id, findSubscription(c, subId)));
      },
    },
    {
      method: "PATCH",
      pattern: "customers/{customer}/subscriptions/{subscription}",
      handle: ([id = "", subId = ""], { headers, body }) => {
        const c = world.findCustomer(id);
        const s = findSubscription(c, subId);
        patchSubscription(s, body, etagOf(header(headers, "if-match")), Object.keys(subscriptionJson(c.id, s)), () => world.newEtag(), liveReservationCount(c));
        world.changed();
        return json(200, pascalCaseKeys(subscriptionJson(c.id, s)));
      },
    },
    {
      method: "GET",
      pattern: "customers/{customer}/subscriptions/{subscription}/azureEntitlements",
      handle: ([id = "", subId = ""]) => {
        const c = world.findCustomer(id);
        const plan = findSubscription(c, subId);
        if (plan.commerceType !== "azure_plan") throw new HttpError(400, 3000, `Subscription ${plan.id} is not an Azure plan.`);
        return json(200, collection((plan.azureSubscriptions ?? []).map((a) => azureEntitlementJson(plan, a))));
      },
    },
  ];
}
