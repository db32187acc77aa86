// The client against Partner Center as Microsoft documents it: every request and response example
// in ../shared/partner-center/documented/ is checked here. Responses are served at their route
// and read through the client; requests are compared with what the client sends.
import fs from "node:fs";
import { readErrorBody } from "../../src/partner-center/error-mapping";
import { parseRetryAfter, type PartnerCenterRestClient } from "../../src/partner-center/rest-client";
import { toSubscriptionRecord } from "../../src/partner-center/response-mapping";
import { toSoftwarePurchase } from "../../src/partner-center/response-mapping";
import { camelCaseKeys, orderSchema, removalSchema } from "../../src/partner-center/response-schemas";
import { DOCUMENTED, type DocumentedExample, parseDocumentedJson, readExamples } from "./documented-examples";
import { type SeenRequest, type TinyServer, fastClient, sendJson, tinyServer } from "./partner-center-test-support";

const TENANT = "18ac2950-8ea9-4dfc-92a4-ff4d4cd57796";

function bodyOf(example: DocumentedExample): unknown {
  return parseDocumentedJson(example.bodyText).value;
}

const examples = new Map<string, DocumentedExample>();
for (const file of fs.existsSync(DOCUMENTED) ? fs.readdirSync(DOCUMENTED).filter((f) => f.endsWith(".http")) : []) {
  for (const example of readExamples(file)) examples.set(`${file.replace(/\.http$/, "")} #${example.index}`, example);
}

function example(name: string): DocumentedExample {
  const found = examples.get(name);
  if (!found) throw new Error(`no documented example ${name}`);
  return found;
}

let server: TinyServer;
let client: PartnerCenterRestClient;
/** what the server answers: the first route matching "METHOD /path" */
let routes: Array<{ match: RegExp; body: unknown; status?: number }> = [];

beforeAll(async () => {
  server = await tinyServer((req, res) => {
    const line = `${req.method} ${req.url.split("?")[0] ?? ""}`;
    const route = routes.find((r) => r.match.test(line));
    if (route) sendJson(res, route.status ?? 200, route.body);
    else sendJson(res, 404, { code: 0, description: `nothing served for ${line}`, data: [], source: "PartnerFD" });
  });
  client = fastClient(server.url);
});
afterAll(async () => {
  await client.close();
  await server.close();
});
beforeEach(() => {
  routes = [];
  server.seen.length = 0;
});

function sent(method: string): SeenRequest {
  const request = server.seen.find((r) => r.method === method);
  if (!request) throw new Error(`the client sent no ${method}`);
  return request;
}

/** The path and query the client sent, the base URL's /v1 kept: comparable with the documented request line. */
function pathOf(request: SeenRequest): { path: string; query: URLSearchParams } {
  const url = new URL(request.url, "http://x");
  return { path: decodeURIComponent(url.pathname), query: url.searchParams };
}

/** the documentation writes ids as placeholders (<customer-tenant-id>) or as examples; compare shapes */
function shape(path: string): string {
  return path.replace(/<[^>]+>|[0-9a-fA-F]{8}-[0-9a-fA-F-]{27}|[0-9a-f]{32}/g, "{id}");
}

const checks: Record<string, () => Promise<void>> = {
  "get-a-list-of-customers #1": async () => {
    routes = [{ match: /^GET \/v1\/customers$/, body: bodyOf(example("get-a-list-of-customers #2")) }];
    await client.listCustomers({ pageSize: 40 });
    const { path, query } = pathOf(sent("GET"));
    expect(path).toBe(example("get-a-list-of-customers #1").path);
    expect(query.get("size")).toBe("40");
  },
  "get-a-list-of-customers #2": async () => {
    routes = [{ match: /^GET \/v1\/customers$/, body: bodyOf(example("get-a-list-of-customers #2")) }];
    const page = await client.listCustomers({ pageSize: 40 });
    expect(page.customers).toEqual([
      { tenantId: "<guid>", companyName: "companyName", domain: "domain", relationshipToPartner: "reseller" },
      { tenantId: "<guid>", companyName: "companyName", domain: "domain", relationshipToPartner: "reseller" },
    ]);
    expect(page.continuation).toBeUndefined();
  },
  "get-a-customer-by-id #1": async () => {
    routes = [{ match: /^GET \/v1\/customers\/[^/]+$/, body: bodyOf(example("get-a-customer-by-id #2")) }];
    await client.getCustomer("eebd1b55-5360-4438-a11d-5c06918c3014");
    expect(shape(pathOf(sent("GET")).path)).toBe(shape(example("get-a-customer-by-id #1").path ?? ""));
  },
  "get-a-customer-by-id #2": async () => {
    routes = [{ match: /^GET \/v1\/customers\/[^/]+$/, body: bodyOf(example("get-a-customer-by-id #2")) }];
    expect(await client.getCustomer("eebd1b55-5360-4438-a11d-5c06918c3014")).toEqual({
      tenantId: "eebd1b55-5360-4438-a11d-5c06918c3014",
      companyName: "1kl as kjk",
      domain: "abcdefgh1234.ccsctp.net",
      relationshipToPartner: "reseller",
    });
  },
  "get-all-of-a-customer-s-subscriptions #1": async () => {
    routes = [{ match: /\/subscriptions$/, body: bodyOf(example("get-all-of-a-customer-s-subscriptions #2")) }];
    await client.listSubscriptions(TENANT);
    const { path, query } = pathOf(sent("GET"));
    expect(shape(path)).toBe(shape(example("get-all-of-a-customer-s-subscriptions #1").path ?? ""));
    expect([...query.keys()]).toEqual([]);
  },
  "get-all-of-a-customer-s-subscriptions #2": async () => {
    routes = [{ match: /\/subscriptions$/, body: bodyOf(example("get-all-of-a-customer-s-subscriptions #2")) }];
    const [sub] = await client.listSubscriptions(TENANT);
    // no offerId in this example: the offer comes from links.offer; its dates are written "06: 41: 12"
    expect(sub).toMatchObject({ id: "83ef9d05-4169-4ef9-9657-0e86b1eab1de", offerId: "0CCA44D6-68E9-4762-94EE-31ECE98783B9", commerceType: "legacy", status: "active", quantity: 1, autoRenewEnabled: false, etag: "<etag>" });
    expect(sub?.commitmentEndDate?.toISOString()).toBe("2016-12-12T08:00:00.000Z");
    expect(sub?.resource).toMatchObject({ creationDate: "2015-11-25T06: 41: 12Z" });
  },
  "get-a-subscription-by-id #1": async () => {
    routes = [{ match: /\/subscriptions\/[^/]+$/, body: bodyOf(example("get-a-subscription-by-id #2")) }];
    await client.getSubscription("4d3cf487-70f4-4e1e-9ff1-b2bfce8d9f04", "A356AC8C-E310-44F4-BF85-C7F29044AF99");
    expect(pathOf(sent("GET")).path).toBe(example("get-a-subscription-by-id #1").path);
  },
  "get-a-subscription-by-id #2": async () => {
    routes = [{ match: /\/subscriptions\/[^/]+$/, body: bodyOf(example("get-a-subscription-by-id #2")) }];
    const sub = await client.getSubscription(TENANT, "A356AC8C-E310-44F4-BF85-C7F29044AF99");
    expect(sub).toMatchObject({ offerId: "MS-AZR-0145P", offerName: "Microsoft Azure", commerceType: "legacy", status: "active", etag: "eyJpZCI6ImEzNTZhYzhjLWUzMTAtNDRmNC1iZjg1LWM3ZjI5MDQ0YWY5OSIsInZlcnNpb24iOjJ9" });
  },
  "get-a-subscription-by-id #3": async () => {
    routes = [{ match: /\/subscriptions\/[^/]+$/, body: bodyOf(example("get-a-subscription-by-id #3")) }];
    const sub = await client.getSubscription(TENANT, "968BA1CF-C146-4ADF-A300-308DCF718EEE");
    expect(sub).toMatchObject({ offerName: "Exchange Online Archiving for Exchange Online", quantity: 2, commerceType: "legacy", autoRenewEnabled: true });
    expect(sub.commitmentEndDate?.toISOString()).toBe("2018-02-10T00:00:00.000Z");
  },
  "suspend-a-subscription #1": async () => {
    const read = bodyOf(example("get-a-subscription-by-id #3")) as Record<string, unknown>;
    routes = [
      { match: /^GET .*\/subscriptions\/[^/]+$/, body: read },
      { match: /^PATCH .*\/subscriptions\/[^/]+$/, body: { ...read, status: "suspended" } },
    ];
    const result = await client.updateSubscription(TENANT, { id: "968BA1CF-C146-4ADF-A300-308DCF718EEE" }, { status: "suspended" });
    expect(result.value.status).toBe("suspended");
    const patch = sent("PATCH");
    const documented = example("suspend-a-subscription #1");
    expect(shape(pathOf(patch).path)).toBe(shape(documented.path ?? ""));
    // If-Match with the etag as read, and the full resource as read with only the status changed
    expect(patch.headers["if-match"]).toBe(read.attributes && (read.attributes as { etag: string }).etag);
    expect(documented.headers["if-match"]).toBe("<etag>");
    expect(JSON.parse(patch.body)).toEqual({ ...read, status: "suspended" });
    // the documented body, read as a resource, is a suspended subscription (without an offer id: not classifiable)
    expect(toSubscriptionRecord(camelCaseKeys(bodyOf(documented)), 0)).toMatchObject({ id: "83ef9d05-4169-4ef9-9657-0e86b1eab1de", status: "suspended", commerceType: "unrecognised", etag: "<etag>" });
  },
  "suspend-a-subscription #2": async () => {
    // a new-commerce Suspend is two changes; the documented change answer carries "etag": "", so the
    // second change reads the subscription again and goes with its etag, not without If-Match
    const answered = bodyOf(example("cancel-an-azure-marketplace-subscription #2")) as Record<string, unknown>;
    const fresh = { ...answered, status: "active", autoRenewEnabled: false, attributes: { etag: "etag-after-renewal-off", objectType: "Subscription" } };
    routes = [
      { match: /^GET .*\/subscriptions\/[^/]+$/, body: fresh },
      { match: /^PATCH .*\/subscriptions\/[^/]+$/, body: { ...answered, status: "active", autoRenewEnabled: false } },
    ];
    const renewalOff = await client.updateSubscription(TENANT, { id: "6e7aa601-629e-461b-8933-0898c3cc3c7c", resource: { ...answered, status: "active", autoRenewEnabled: true, attributes: { etag: "e1", objectType: "Subscription" } } }, { autoRenewEnabled: false });
    expect(renewalOff.value.etag).toBeUndefined();
    server.seen.length = 0;
    await client.updateSubscription(TENANT, renewalOff.value, { status: "suspended" });
    expect(server.seen.map((r) => r.method)).toEqual(["GET", "PATCH"]);
    expect(sent("PATCH").headers["if-match"]).toBe("etag-after-renewal-off");
    expect(toSubscriptionRecord(camelCaseKeys(bodyOf(example("suspend-a-subscription #2"))), 0)).toMatchObject({ status: "suspended", quantity: 2, offerId: "0CCA44D6-68E9-4762-94EE-31ECE98783B9", commerceType: "legacy" });
  },
  "reactivate-a-suspended-a-subscription #1": async () => {
    expect(toSubscriptionRecord(camelCaseKeys(bodyOf(example("reactivate-a-suspended-a-subscription #1"))), 0)).toMatchObject({ status: "active", autoRenewEnabled: false });
  },
  "reactivate-a-suspended-a-subscription #2": async () => {
    expect(toSubscriptionRecord(camelCaseKeys(bodyOf(example("reactivate-a-suspended-a-subscription #2"))), 0)).toMatchObject({ status: "active", commerceType: "legacy" });
  },
  "cancel-an-azure-marketplace-subscription #1": async () => {
    const body = bodyOf(example("cancel-an-azure-marketplace-subscription #1"));
    expect(toSubscriptionRecord(camelCaseKeys(body), 0)).toMatchObject({ status: "deleted", commerceType: "nce", autoRenewEnabled: false });
  },
  "cancel-an-azure-marketplace-subscription #2": async () => {
    const answer = bodyOf(example("cancel-an-azure-marketplace-subscription #2")) as Record<string, unknown>;
    routes = [{ match: /^PATCH .*\/subscriptions\/[^/]+$/, body: answer }];
    const resource = { ...answer, status: "active", attributes: { etag: "e1", objectType: "Subscription" } };
    const result = await client.updateSubscription(TENANT, { id: "6e7aa601-629e-461b-8933-0898c3cc3c7c", resource }, { status: "deleted" });
    expect(result.value).toMatchObject({ status: "deleted", commerceType: "nce", offerId: "DZH318Z0BXWC:0001:DZH318Z0BMJX" });
    expect(result.value.commitmentEndDate?.toISOString()).toBe("2019-02-08T00:21:45.926Z");
    // no cancellationAllowedUntilDate here: the full refund's end is when cancelling stops being possible
    expect(result.value.cancellableUntil?.toISOString()).toBe("2019-01-10T00:21:45.926Z");
  },
  "cancel-software-purchases #1": async () => {
    expect(orderSchema.safeParse(bodyOf(example("cancel-software-purchases #1"))).success).toBe(true);
  },
  "cancel-software-purchases #2": async () => {
    routes = [{ match: /^PATCH .*\/orders\/[^/]+$/, body: bodyOf(example("cancel-software-purchases #3")) }];
    const documented = bodyOf(example("cancel-software-purchases #2")) as { id: string; lineItems: Array<{ lineItemNumber: number; offerId: string }> };
    await client.cancelSoftwarePurchase(TENANT, { id: documented.id, lineItems: documented.lineItems });
    const patch = sent("PATCH");
    expect(shape(pathOf(patch).path).replace(documented.id, "{id}")).toBe(shape(example("cancel-software-purchases #2").path ?? ""));
    expect(JSON.parse(patch.body)).toEqual(documented);
  },
  "cancel-software-purchases #3": async () => {
    routes = [{ match: /^PATCH .*\/orders\/[^/]+$/, body: bodyOf(example("cancel-software-purchases #3")) }];
    const result = await client.cancelSoftwarePurchase(TENANT, { id: "2y6dF_rVgDAXMxypQPPnTquuXhKVK_3N1", lineItems: [] });
    expect(result.value.name).toBe("SQL Server Enterprise - 2 Core License Pack - 3 year, Windows Server CAL - 1 Device CAL - 3 year");
    // line 0 cancelled (quantity 0), line 1 still held: the order is "completed" and the purchase still active, with line 1 left to cancel
    expect(result.value.status).toBe("active");
    expect(result.value.lineItems).toEqual([{ lineItemNumber: 1, offerId: "DG7GMGF0DVT7:000C:DG7GMGF0FVZM" }]);
    // with every line at 0 the purchase is cancelled, though the order still says "completed"
    const answered = orderSchema.parse(camelCaseKeys(bodyOf(example("cancel-software-purchases #3"))));
    const allCancelled = toSoftwarePurchase({ ...answered, lineItems: answered.lineItems.map((l) => ({ ...l, quantity: 0 })) });
    expect([answered.status, allCancelled.status, allCancelled.lineItems]).toEqual(["completed", "cancelled", []]);
  },
  "get-a-collection-of-entitlements #1": async () => {
    routes = [{ match: /\/entitlements$/, body: { totalCount: 0, items: [] } }];
    await client.readEntitlements(TENANT);
    const request = sent("GET");
    expect(pathOf(request).path).toBe(example("get-a-collection-of-entitlements #1").path);
    // expiry dates come only with showExpiry=true, which the documentation's second request shows
    expect(pathOf(request).query.get("showExpiry")).toBe("true");
    expect(example("get-a-collection-of-entitlements #3").query?.get("showExpiry")).toBe("true");
  },
  "get-a-collection-of-entitlements #2": async () => {
    routes = [
      { match: /\/entitlements$/, body: bodyOf(example("get-a-collection-of-entitlements #2")) },
      { match: /\/artifacts\/reservedinstance\//, body: bodyOf(example("get-a-collection-of-entitlements #8")) },
      { match: /\/orders$/, body: { totalCount: 1, items: [{ id: "NUXMSvmS20EQ4kFsZmzkSqb747fqKmNk1", status: "completed", creationDate: "2018-03-01T00:00:00Z", lineItems: [{ lineItemNumber: 0, offerId: "DG7GMGF0DWTK:0002", friendlyName: "Windows Server" }] }] } },
    ];
    const holdings = await client.readEntitlements(TENANT);
    expect(holdings.reservations).toEqual([
      { id: "99f320db-c029-4c1b-a157-dad76e4481b6", name: "reservation DZH318Z0BQ3W/007J", reservationType: "virtualmachines", quantity: 1, expiresAt: new Date("2019-02-23T00:00:00Z"), provisioningState: "Created" },
    ]);
    expect(holdings.softwarePurchases.map((p) => p.id)).toEqual(["NUXMSvmS20EQ4kFsZmzkSqb747fqKmNk1"]);
    expect(holdings.unrecognised).toEqual([]);
  },
  "get-a-collection-of-entitlements #3": async () => {
    const documented = example("get-a-collection-of-entitlements #3");
    expect(documented.query?.get("entitlementtype")).toBe("software");
    // the app reads every type at once, with the same showExpiry
    await checks["get-a-collection-of-entitlements #1"]?.();
  },
  "get-a-collection-of-entitlements #4": async () => {
    routes = [
      { match: /\/entitlements$/, body: bodyOf(example("get-a-collection-of-entitlements #4")) },
      { match: /\/orders$/, body: { totalCount: 1, items: [{ id: "4teYMtWYEeKM77JftGLIQYMOZPTwyOEV1", status: "completed", creationDate: "2019-01-28T00:00:00Z", lineItems: [{ lineItemNumber: 0, offerId: "DG7GMGF0DWM3:0002" }, { lineItemNumber: 1, offerId: "DG7GMGF0DWBQ:0003" }] }] } },
    ];
    const holdings = await client.readEntitlements(TENANT);
    expect(holdings.softwarePurchases).toHaveLength(1);
    expect(holdings.reservations).toEqual([]);
    expect(holdings.unrecognised).toEqual([]);
  },
  "get-a-collection-of-entitlements #5": async () => {
    const legacyLink = example("get-a-collection-of-entitlements #5").path ?? "";
    routes = [
      {
        match: /\/entitlements$/,
        body: { totalCount: 1, items: [{ entitlementType: "virtual_machine_reserved_instance", productId: "DZH318Z0BQ3W", skuId: "007J", quantity: 1, entitledArtifacts: [{ link: { uri: legacyLink.replace(/^\/v1/, ""), method: "GET", headers: [] }, resourceId: "ebf2e74b-630e-4a09-857d-a1f6c6351336", artifactType: "virtual_machine_reserved_instance" }] }] },
      },
      { match: /\/artifacts\/virtualmachinereservedinstance\//, body: bodyOf(example("get-a-collection-of-entitlements #6")) },
    ];
    const holdings = await client.readEntitlements(TENANT);
    expect(server.seen.map((r) => pathOf(r).path)).toContain(legacyLink);
    expect(holdings.reservations).toMatchObject([{ id: "99f320db-c029-4c1b-a157-dad76e4481b6", provisioningState: "Created" }]);
  },
  "get-a-collection-of-entitlements #6": async () => {
    await checks["get-a-collection-of-entitlements #5"]?.();
  },
  "get-a-collection-of-entitlements #7": async () => {
    await checks["get-a-collection-of-entitlements #2"]?.();
    expect(server.seen.map((r) => pathOf(r).path)).toContain(example("get-a-collection-of-entitlements #7").path);
  },
  "get-a-collection-of-entitlements #8": async () => {
    await checks["get-a-collection-of-entitlements #2"]?.();
  },
  "get-a-list-of-azure-entitlements-for-subscription #1": async () => {
    routes = [{ match: /\/azureEntitlements$/, body: bodyOf(example("get-a-list-of-azure-entitlements-for-subscription #2")) }];
    await client.listAzureSubscriptions("11f9bc2a-1f38-431c-a0b0-9455c6f5bbc0", "3f15978e-005c-b763-bb78-2a8fab289c58");
    expect(pathOf(sent("GET")).path).toBe(example("get-a-list-of-azure-entitlements-for-subscription #1").path);
  },
  "get-a-list-of-azure-entitlements-for-subscription #2": async () => {
    routes = [{ match: /\/azureEntitlements$/, body: bodyOf(example("get-a-list-of-azure-entitlements-for-subscription #2")) }];
    expect(await client.listAzureSubscriptions(TENANT, "3f15978e-005c-b763-bb78-2a8fab289c58")).toEqual([
      { id: "899ae6f1-8a74-4d5e-b6c6-e6b5019bbff8", planId: "3f15978e-005c-b763-bb78-2a8fab289c58", name: "Microsoft Azure", status: "active" },
    ]);
  },
  "get-all-of-a-customer-s-orders #1": async () => {
    await checks["get-all-of-a-customer-s-orders #2"]?.();
    expect(pathOf(sent("GET")).path).toBe(`/v1/customers/${TENANT}/entitlements`);
    expect(server.seen.map((r) => shape(pathOf(r).path))).toContain(shape(example("get-all-of-a-customer-s-orders #1").path ?? ""));
  },
  "get-all-of-a-customer-s-orders #2": async () => {
    routes = [
      { match: /\/entitlements$/, body: { totalCount: 1, items: [{ entitlementType: "software", productId: "84A661C4", skuId: "E59159FC", quantity: 1, referenceOrder: { id: "eeba9d00-7b46-443a-917e-22887a8fc993", lineItemId: "0" }, entitledArtifacts: [] }] } },
      { match: /\/orders$/, body: bodyOf(example("get-all-of-a-customer-s-orders #2")) },
    ];
    const holdings = await client.readEntitlements(TENANT);
    expect(holdings.softwarePurchases).toMatchObject([{ id: "eeba9d00-7b46-443a-917e-22887a8fc993", name: "Azure Active Directory Premium P2", status: "active" }]);
  },
  "remove-a-reseller-relationship-with-a-customer #1": async () => {
    routes = [{ match: /^PATCH \/v1\/customers\/[^/]+$/, body: bodyOf(example("remove-a-reseller-relationship-with-a-customer #2")) }];
    await client.removeResellerRelationship(TENANT);
    const patch = sent("PATCH");
    const documented = example("remove-a-reseller-relationship-with-a-customer #1");
    expect(shape(pathOf(patch).path)).toBe(shape(documented.path ?? ""));
    expect(JSON.parse(patch.body)).toEqual(bodyOf(documented));
  },
  "remove-a-reseller-relationship-with-a-customer #2": async () => {
    expect(removalSchema.parse(camelCaseKeys(bodyOf(example("remove-a-reseller-relationship-with-a-customer #2"))))).toEqual({ relationshipToPartner: "none" });
    await checks["remove-a-reseller-relationship-with-a-customer #1"]?.();
  },
  "request-reseller-relationship #1": async () => {
    routes = [{ match: /relationshiprequests$/, body: bodyOf(example("request-reseller-relationship #2")) }];
    await client.getRelationshipRequestLink();
    expect(pathOf(sent("GET")).path).toBe(example("request-reseller-relationship #1").path);
  },
  "request-reseller-relationship #2": async () => {
    routes = [{ match: /relationshiprequests$/, body: bodyOf(example("request-reseller-relationship #2")) }];
    expect(await client.getRelationshipRequestLink()).toBe(
      "https://admin.microsoft.com/Adminportal/Home?invType=ResellerRelationship&partnerId=3b33e682-00c3-41ee-9dd2-a548adf56438&msppId=0&DAP=false#/BillingAccounts/partner-invitation",
    );
  },
  "api-throttling-guidance #1": async () => {
    const documented = example("api-throttling-guidance #1");
    expect(documented.status).toBe(429);
    expect(parseRetryAfter(documented.headers["retry-after"] ?? null)).toBe(57_000);
    expect(readErrorBody(documented.bodyText).description).toBe("Rate limit is exceeded. Try again in 57 seconds.");
  },
  "api-throttling-guidance #2": async () => {
    // audit records: a call the app does not make; only its headers matter, and the client sends them all
    routes = [{ match: /relationshiprequests$/, body: { url: "https://example.test" } }];
    await client.getRelationshipRequestLink();
    const headers = sent("GET").headers;
    for (const name of ["authorization", "accept", "ms-requestid", "ms-correlationid"]) expect(headers[name]).toEqual(expect.any(String));
    expect(Object.keys(example("api-throttling-guidance #2").headers)).toEqual(expect.arrayContaining(["authorization", "accept", "ms-requestid", "ms-correlationid"]));
  },
  "api-throttling-guidance #3": async () => {
    // audit records, not read by the app: parsed only to show the example is understood
    expect(parseDocumentedJson(example("api-throttling-guidance #3").bodyText).value).toMatchObject({ totalCount: 17, items: expect.any(Array) });
  },
};

describe("Partner Center as documented, through the client", () => {
  if (examples.size === 0) {
    it("has its examples", () => {
      throw new Error(`documented examples missing: expected them in ${DOCUMENTED}`);
    });
    return;
  }

  it("every documented example has a check", () => {
    expect([...examples.keys()].filter((name) => !checks[name])).toEqual([]);
  });

  it.each([...examples.keys()])("%s", async (name) => {
    const check = checks[name];
    if (!check) throw new Error(`no check for ${name}`);
    await check();
  });

  it("the documentation's slips are repaired, and only those", () => {
    const repaired = [...examples.entries()]
      .filter(([, e]) => e.bodyText)
      .map(([name, e]) => [name, parseDocumentedJson(e.bodyText).repairs] as const)
      .filter(([, repairs]) => repairs.length > 0);
    expect(Object.fromEntries(repaired)).toEqual({
      "api-throttling-guidance #3": ['"..." for more items', "trailing comma"],
      "cancel-an-azure-marketplace-subscription #1": ["trailing comma"],
      "cancel-software-purchases #1": ["typographic quotes", "missing opening quote"],
      "get-a-collection-of-entitlements #2": ["missing comma"],
      "get-all-of-a-customer-s-orders #2": ["missing closing brace"],
    });
  });
});
