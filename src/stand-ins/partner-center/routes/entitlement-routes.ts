// Entitlements: what the customer is entitled to (reservations, software).
import { json } from "../answers";
import { collection, entitlementJson } from "../resource-shapes";
import type { EmulatorWorld } from "../world";
import type { Route } from "./route-table";

export function entitlementRoutes(world: EmulatorWorld): Route[] {
  return [
    {
      method: "GET",
      pattern: "customers/{customer}/entitlements",
      handle: ([id = ""]) => {
        const c = world.findCustomer(id);
        return json(200, collection(c.entitlements.map((e) => entitlementJson(c.id, e))));
      },
    },
  ];
}
