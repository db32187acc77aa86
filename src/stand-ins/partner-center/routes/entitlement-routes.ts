// Entitlements as documented: reservations as "reservedinstance" with
// dynamicAttributes.reservationType, the legacy VM type only when asked for by
// entitlementType=virtualmachinereservedinstance, expiryDate only with showExpiry=true, and each
// reservation's details behind its artifact link.
import { HttpError, json } from "../answers";
import type { EmuEntitlement } from "../emulator-state";
import { collection, entitlementJson, reservationArtifactJson } from "../resource-shapes";
import type { EmulatorWorld } from "../world";
import type { Route } from "./route-table";

const LEGACY_FILTER = "virtualmachinereservedinstance";

export function entitlementRoutes(world: EmulatorWorld): Route[] {
  return [
    {
      method: "GET",
      pattern: "customers/{customer}/entitlements",
      handle: ([id = ""], { query }) => {
        const c = world.findCustomer(id);
        const showExpiry = (query.get("showExpiry") ?? query.get("showexpiry") ?? "").toLowerCase() === "true";
        const filter = (query.get("entitlementType") ?? query.get("entitlementtype") ?? "").toLowerCase();
        let items: EmuEntitlement[];
        if (filter === "") items = c.entitlements;
        else if (filter === "software" || filter === "reservedinstance") items = c.entitlements.filter((e) => e.entitlementType === filter);
        else if (filter === LEGACY_FILTER) items = c.entitlements.filter((e) => e.entitlementType === "reservedinstance" && e.reservationType === "virtualmachines");
        else throw new HttpError(400, 3000, `Invalid entitlement type "${filter}".`);
        return json(200, collection(items.map((e) => entitlementJson(c.id, e, { showExpiry, legacyName: filter === LEGACY_FILTER }))));
      },
    },
    {
      method: "GET",
      pattern: "customers/{customer}/artifacts/{artifactType}/groups/{group}/lineitems/{lineItem}/resource/{resource}",
      handle: ([id = "", artifactType = "", , , resourceId = ""]) => {
        const c = world.findCustomer(id);
        const type = artifactType.toLowerCase();
        if (type !== "reservedinstance" && type !== LEGACY_FILTER) throw new HttpError(400, 3000, `Invalid artifact type "${artifactType}".`);
        const e = c.entitlements.find((x) => x.entitlementType === "reservedinstance" && x.resourceId.toLowerCase() === resourceId.toLowerCase());
        if (!e) throw new HttpError(404, 800002, `Artifact ${resourceId} was not found for customer ${c.id}.`);
        return json(200, reservationArtifactJson(e, type === LEGACY_FILTER));
      },
    },
  ];
}
