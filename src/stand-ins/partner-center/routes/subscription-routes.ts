// Subscriptions: the customer's list, one subscription, and the PATCH that changes its status.
import { HttpError, header, json } from "../answers";
import type { EmuCustomer, EmuSubscription } from "../emulator-state";
import { collection, pascalCaseKeys, subscriptionJson } from "../resource-shapes";
import { changeSubscriptionStatus } from "../service-rules";
import type { EmulatorWorld } from "../world";
import type { Route } from "./route-table";

function findSubscription(c: EmuCustomer, subId: string): EmuSubscription {
  const s = c.subscriptions.find((x) => x.id.toLowerCase() === subId.toLowerCase());
  if (!s) throw new HttpError(404, 800002, `Subscription ${subId} was not found for customer ${c.id}.`);
  return s;
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
        const c = world.mutableCustomer(id);
        const s = findSubscription(c, subId);
        const attributes = body.attributes as { etag?: unknown } | undefined;
        const etag = header(headers, "if-match") ?? (typeof attributes?.etag === "string" ? attributes.etag : undefined);
        changeSubscriptionStatus(s, String(body.status ?? "").toLowerCase(), etag?.replace(/^W\//, "").replace(/^"|"$/g, ""), () => world.newEtag());
        world.changed();
        return json(200, pascalCaseKeys(subscriptionJson(c.id, s)));
      },
    },
  ];
}
