// The emulator's own endpoints under /_emulator: stats, the request log, the world, reset and
// settings, and changes made "outside Partner Center" (the Azure portal, someone else's click).
import { HttpError, json } from "../answers";
import type { EmuSubscription } from "../emulator-state";
import { azureEntitlementJson, reservationArtifactJson, subscriptionJson } from "../resource-shapes";
import type { Route } from "../routes/route-table";
import type { EmulatorWorld } from "../world";
import type { FaultInjector, SettingsUpdate } from "./faults";
import type { RequestLog } from "./request-log";

const SUBSCRIPTION_STATUSES = ["active", "suspended", "pending", "deleted", "expired", "disabled", "none"];

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
      // stands in for returning the reservation in the Azure portal (by reservation or artifact id)
      method: "POST",
      pattern: "customers/{customer}/reservations/{reservation}/cancel",
      handle: ([id = "", itemId = ""]) => {
        const c = world.anyCustomer(id);
        const wanted = itemId.toLowerCase();
        const e = c.entitlements.find((x) => x.resourceId.toLowerCase() === wanted || (x.reservations ?? []).some((r) => r.reservationId.toLowerCase() === wanted));
        if (!e?.reservations) throw new HttpError(404, 0, `Reservation ${itemId} not found.`);
        for (const r of e.reservations) if (r.reservationId.toLowerCase() === wanted || e.resourceId.toLowerCase() === wanted) r.provisioningState = "Cancelled";
        world.changed();
        return json(200, reservationArtifactJson(e, false));
      },
    },
    {
      // stands in for disabling (or re-enabling) an Azure subscription in the Azure portal
      method: "POST",
      pattern: "customers/{customer}/azure-subscriptions/{azureSubscription}/status",
      handle: ([id = "", itemId = ""], { body }) => {
        const c = world.anyCustomer(id);
        const wanted = String(body.status ?? "");
        if (wanted !== "active" && wanted !== "disabled") throw new HttpError(400, 3000, `Invalid status "${wanted}": active or disabled.`);
        for (const plan of c.subscriptions) {
          const a = plan.azureSubscriptions?.find((x) => x.id.toLowerCase() === itemId.toLowerCase());
          if (!a) continue;
          a.status = wanted;
          world.changed();
          return json(200, azureEntitlementJson(plan, a));
        }
        throw new HttpError(404, 0, `Azure subscription ${itemId} not found.`);
      },
    },
    {
      // forces a status regardless of the rules, e.g. to reopen a blocker behind the app's back
      method: "POST",
      pattern: "customers/{customer}/subscriptions/{subscription}/status",
      handle: ([id = "", itemId = ""], { body }) => {
        const c = world.anyCustomer(id);
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
