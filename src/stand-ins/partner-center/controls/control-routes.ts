// The emulator's own endpoints under /_emulator: stats, the request log, the world, reset and
// settings, and changes made "outside Partner Center" (the Azure portal, someone else's click).
import { HttpError, json } from "../answers";
import type { EmuSubscription } from "../emulator-state";
import { entitlementJson, subscriptionJson } from "../resource-shapes";
import type { Route } from "../routes/route-table";
import type { EmulatorWorld } from "../world";
import type { FaultInjector, SettingsUpdate } from "./faults";
import type { RequestLog } from "./request-log";

const SUBSCRIPTION_STATUSES = ["active", "suspended", "pending", "deleted", "expired", "disabled"];

export function controlRoutes(world: EmulatorWorld, faults: FaultInjector, log: RequestLog, reset: () => void): Route[] {
  return [
    { method: "GET", pattern: "stats", handle: () => json(200, log.stats()) },
    { method: "GET", pattern: "requests", handle: () => json(200, log.requests()) },
    { method: "GET", pattern: "state", handle: () => json(200, world.state) },
    {
      method: "POST",
      pattern: "reset",
      handle: () => {
        reset();
        return json(200, { reset: true });
      },
    },
    { method: "POST", pattern: "config", handle: (_params, { body }) => json(200, faults.configure(body as SettingsUpdate)) },
    {
      // stands in for returning the reservation in the Azure portal
      method: "POST",
      pattern: "customers/{customer}/reservations/{reservation}/cancel",
      handle: ([id = "", itemId = ""]) => {
        const c = world.findCustomer(id);
        const e = c.entitlements.find((x) => x.entitlementType !== "software" && x.resourceId.toLowerCase() === itemId.toLowerCase());
        if (!e) throw new HttpError(404, 0, `Reservation ${itemId} not found.`);
        e.fulfilmentStatus = "Cancelled";
        world.changed();
        return json(200, entitlementJson(c.id, e));
      },
    },
    {
      // forces a status regardless of the rules, e.g. to reopen a blocker behind the app's back
      method: "POST",
      pattern: "customers/{customer}/subscriptions/{subscription}/status",
      handle: ([id = "", itemId = ""], { body }) => {
        const c = world.findCustomer(id);
        const s = c.subscriptions.find((x) => x.id.toLowerCase() === itemId.toLowerCase());
        const wanted = String(body.status ?? "");
        if (!s) throw new HttpError(404, 0, `Subscription ${itemId} not found.`);
        if (!SUBSCRIPTION_STATUSES.includes(wanted)) throw new HttpError(400, 3000, `Invalid status "${wanted}".`);
        s.status = wanted as EmuSubscription["status"];
        s.etag = world.newEtag();
        world.changed();
        return json(200, subscriptionJson(c.id, s));
      },
    },
  ];
}
