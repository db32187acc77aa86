// Customers: the paged list, one customer, the removal of the relationship, the request link.
import { HttpError, header, json } from "../answers";
import { DEMO_PARTNER_ID } from "../demo-partner";
import { collection, customerJson, link, removedCustomerJson } from "../resource-shapes";
import { REMOVAL_BLOCKED_CODE, removalBlockers } from "../service-rules";
import type { EmulatorWorld } from "../world";
import type { Route } from "./route-table";

export function customerRoutes(world: EmulatorWorld): Route[] {
  return [
    {
      method: "GET",
      pattern: "customers",
      handle: (_params, { query, headers }) => {
        const size = Math.min(1000, Math.max(1, Number(query.get("size") ?? 100) || 100));
        const token = header(headers, "ms-continuationtoken");
        let offset = 0;
        if (token) {
          try {
            offset = (JSON.parse(Buffer.from(token, "base64url").toString("utf8")) as { offset: number }).offset;
          } catch {
            throw new HttpError(400, 3000, "Invalid continuation token.");
          }
          if (typeof offset !== "number" || offset < 0) throw new HttpError(400, 3000, "Invalid continuation token.");
        }
        // a removed customer leaves the partner's list (GET /customers/{id} answers 403 with code 20002)
        const listed = world.state.customers.filter((c) => c.relationshipToPartner !== "none");
        const page = listed.slice(offset, offset + size);
        const links: Record<string, unknown> = { self: link(`/customers?size=${size}`) };
        if (offset + size < listed.length) {
          const nextToken = Buffer.from(JSON.stringify({ offset: offset + size })).toString("base64url");
          links.next = { uri: `/customers?size=${size}&seekOperation=next`, method: "GET", headers: [{ key: "MS-ContinuationToken", value: nextToken }] };
        }
        return json(200, collection(page.map(customerJson), { links }));
      },
    },
    {
      method: "GET",
      pattern: "customers/relationshiprequests",
      handle: () =>
        json(200, {
          url: `https://admin.microsoft.com/Adminportal/Home?invType=ResellerRelationship&partnerId=${world.state.partnerId ?? DEMO_PARTNER_ID}&DAP=false#/BillingAccounts/partner-invitation`,
          attributes: { objectType: "RelationshipRequest" },
        }),
    },
    { method: "GET", pattern: "customers/{customer}", handle: ([id = ""]) => json(200, customerJson(world.findCustomer(id))) },
    {
      method: "PATCH",
      pattern: "customers/{customer}",
      handle: ([id = ""], { body }) => {
        const c = world.findCustomer(id);
        if (String(body.relationshipToPartner ?? "").toLowerCase() !== "none") throw new HttpError(400, 3000, "Invalid property: relationshipToPartner must be none.");
        const blockers = removalBlockers(c);
        if (blockers.length > 0) {
          const more = blockers.length > 1 ? ` (and ${blockers.length - 1} more blocker${blockers.length > 2 ? "s" : ""})` : "";
          throw new HttpError(400, REMOVAL_BLOCKED_CODE, `Cannot remove the reseller relationship: ${blockers[0]}${more}.`);
        }
        c.relationshipToPartner = "none";
        world.changed();
        return json(200, removedCustomerJson());
      },
    },
  ];
}
