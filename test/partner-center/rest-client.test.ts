import { DEMO_TENANTS, startEmulator, type EmulatorHandle } from "../../src/stand-ins/partner-center";
import { PartnerCenterError } from "../../src/partner-center/partner-center-api";
import type { PartnerCenterRestClient } from "../../src/partner-center/rest-client";
import { fastClient, recordingLogger, sendJson, tinyServer } from "./partner-center-test-support";

let emulator: EmulatorHandle;
let client: PartnerCenterRestClient;

beforeAll(async () => {
  emulator = await startEmulator({ port: 0, host: "127.0.0.1" });
  client = fastClient(emulator.url);
});

afterAll(async () => {
  await client.close();
  await emulator.close();
});

beforeEach(() => emulator.reset());

async function caught(promise: Promise<unknown>): Promise<PartnerCenterError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof PartnerCenterError) return error;
    throw error;
  }
  throw new Error("expected a PartnerCenterError");
}

describe("PartnerCenterRestClient against the emulator", () => {
  it("pages through the customer list with continuation tokens", async () => {
    const seen: string[] = [];
    let page = await client.listCustomers({ pageSize: 5 });
    let pages = 1;
    seen.push(...page.customers.map((c) => c.tenantId));
    while (page.continuation) {
      expect(page.continuation.headers["MS-ContinuationToken"]).toEqual(expect.any(String));
      page = await client.listCustomers({ pageSize: 5, continuation: page.continuation });
      seen.push(...page.customers.map((c) => c.tenantId));
      pages += 1;
    }
    expect(pages).toBe(4);
    expect(new Set(seen).size).toBe(seen.length);
    expect(seen).toContain(DEMO_TENANTS.bigCustomer);
    // a removed customer has left the partner's list
    expect(seen).not.toContain(DEMO_TENANTS.alreadyRemoved);
    expect(seen.length).toBe(Object.keys(DEMO_TENANTS).length - 1);
  });

  it("maps customers, subscriptions, reservations and software purchases to domain types", async () => {
    const customer = await client.getCustomer(DEMO_TENANTS.legacyOnly);
    expect(customer).toEqual({ tenantId: DEMO_TENANTS.legacyOnly, companyName: "Contoso Ltd", domain: "contoso.onmicrosoft.com", relationshipToPartner: "reseller" });

    const subs = await client.listSubscriptions(DEMO_TENANTS.mixed);
    const nce = subs.find((s) => s.commerceType === "nce");
    expect(nce?.cancellableUntil?.getTime()).toBeGreaterThan(Date.now());
    expect(subs.filter((s) => s.commerceType === "legacy" && s.status === "active").length).toBeGreaterThan(0);
    expect(subs.every((s) => typeof s.etag === "string")).toBe(true);

    const { reservations, softwarePurchases: software, unrecognised } = await client.readEntitlements(DEMO_TENANTS.mixed);
    expect(reservations.map((r) => [r.name, r.reservationType, r.provisioningState])).toEqual([
      ["VM_RI_E4s_v5_NorthEurope_3Y", "virtualmachines", "Succeeded"],
      ["SQL_RI_BC_Gen5_4vCore", "sqldatabases", "Succeeded"],
    ]);
    expect(unrecognised).toEqual([]);
    expect(software).toHaveLength(1);
    expect(software[0]).toMatchObject({ status: "active", lineItems: [{ lineItemNumber: 0, offerId: expect.stringContaining(":") }] });
    expect(software[0]?.cancellableUntil?.getTime()).toBeGreaterThan(Date.now());

    expect(await client.getRelationshipRequestLink()).toMatch(/^https:\/\/admin\.microsoft\.com\/.*invType=ResellerRelationship/);
  });

  it("sends the whole resource with If-Match and reads the PascalCase answer", async () => {
    const [sub] = (await client.listSubscriptions(DEMO_TENANTS.legacyOnly)).filter((s) => s.status === "active");
    if (!sub) throw new Error("seed has an active subscription");
    const result = await client.updateSubscription(DEMO_TENANTS.legacyOnly, sub, { status: "suspended" }, { requestId: "11111111-2222-4333-8444-555555555555" });
    expect(result.value).toMatchObject({ id: sub.id, status: "suspended", commerceType: "legacy" });
    expect(result.value.etag).not.toBe(sub.etag);
    expect(result.requestId).toBe("11111111-2222-4333-8444-555555555555");
    const [patch] = emulator.requests().filter((r) => r.method === "PATCH");
    expect(patch?.ifMatch).toBe(sub.etag);
    expect(patch?.body).toEqual({ ...sub.resource, status: "suspended" });
    const reactivated = await client.updateSubscription(DEMO_TENANTS.legacyOnly, result.value, { status: "active" });
    expect(reactivated.value.status).toBe("active");
  });

  it("reads a subscription it was given without its resource, and on a stale etag reads it again and retries once", async () => {
    const tenant = DEMO_TENANTS.legacyOnly;
    const [sub] = (await client.listSubscriptions(tenant)).filter((s) => s.status === "active");
    if (!sub) throw new Error("seed");
    // someone else changes it after our read: its etag moves on
    await fetch(`${emulator.origin}/_emulator/customers/${tenant}/subscriptions/${sub.id}/status`, { method: "POST", body: JSON.stringify({ status: "active" }) });
    const result = await client.updateSubscription(tenant, sub, { status: "suspended" }, { requestId: "22222222-2222-4333-8444-555555555555" });
    expect(result.value.status).toBe("suspended");
    const calls = emulator.requests().filter((r) => r.path.endsWith(sub.id)).map((r) => [r.method, r.status]);
    expect(calls).toEqual([
      ["PATCH", 412],
      ["GET", 200],
      ["PATCH", 200],
    ]);
    // the retry is a new call: an id of its own, derived from the first, so a repeat is the same retry
    const ids = emulator.requests().filter((r) => r.method === "PATCH").map((r) => r.requestId);
    expect(ids[0]).toBe("22222222-2222-4333-8444-555555555555");
    expect(ids[1]).toMatch(/^[0-9a-f-]{36}$/);
    expect(ids[1]).not.toBe(ids[0]);

    // given only an id, it reads the resource first; a change already made sends nothing
    const again = await client.updateSubscription(tenant, { id: sub.id }, { status: "suspended" });
    expect(again).toMatchObject({ alreadyApplied: true, requestId: null });
    expect(emulator.requests().filter((r) => r.method === "PATCH")).toHaveLength(2);
  });

  it("turns auto-renew off with the same full-resource PATCH", async () => {
    const [sub] = await client.listSubscriptions(DEMO_TENANTS.nceAnnualOnly);
    if (!sub) throw new Error("seed");
    const result = await client.updateSubscription(DEMO_TENANTS.nceAnnualOnly, sub, { autoRenewEnabled: false });
    expect(result.value).toMatchObject({ autoRenewEnabled: false, status: "active" });
    expect(emulator.requests().find((r) => r.method === "PATCH")?.body).toEqual({ ...sub.resource, autoRenewEnabled: false });
  });

  it("lists an Azure plan's Azure subscriptions and names 900115 for what it is", async () => {
    const tenant = DEMO_TENANTS.azurePlan;
    const plan = (await client.listSubscriptions(tenant)).find((s) => s.commerceType === "azure_plan");
    if (!plan) throw new Error("seed");
    const azure = await client.listAzureSubscriptions(tenant, plan.id);
    expect(azure.map((a) => [a.name, a.status, a.planId])).toEqual([
      ["GDI Production", "active", plan.id],
      ["GDI Sandbox", "disabled", plan.id],
    ]);
    const refused = await caught(client.updateSubscription(tenant, plan, { status: "suspended" }));
    expect(refused).toMatchObject({ kind: "azure_plan_active", details: { status: 403, code: 900115 } });
  });

  it("honours Retry-After on a 429 and reuses the MS-RequestId on the retry", async () => {
    emulator.configure({ failNext: [{ status: 429, retryAfterSeconds: 1 }] });
    const started = Date.now();
    const [sub] = (await client.listSubscriptions(DEMO_TENANTS.ordinaryCoho)).filter((s) => s.status === "active");
    expect(Date.now() - started).toBeGreaterThanOrEqual(1000);
    if (!sub) throw new Error("seed has an active subscription");

    emulator.configure({ failNext: [{ status: 503 }, { status: 502 }] });
    const result = await client.updateSubscription(DEMO_TENANTS.ordinaryCoho, sub, { status: "suspended" });
    expect(result.value.status).toBe("suspended");
    const patches = emulator.requests().filter((r) => r.method === "PATCH");
    expect(patches.map((r) => r.status)).toEqual([503, 502, 200]);
    expect(new Set(patches.map((r) => r.requestId))).toEqual(new Set([result.requestId]));
    expect(new Set(patches.map((r) => r.correlationId))).toEqual(new Set([result.correlationId]));
  });

  it("retries a transient 5xx and then succeeds; gives up after bounded attempts", async () => {
    emulator.configure({ failNext: [{ status: 500 }] });
    await expect(client.getCustomer(DEMO_TENANTS.clean)).resolves.toMatchObject({ companyName: "Fourth Coffee" });
    expect(emulator.stats().faults).toBe(1);

    // maxAttempts is 4 in these tests
    emulator.configure({ failNext: Array.from({ length: 4 }, () => ({ status: 503 })) });
    const error = await caught(client.getCustomer(DEMO_TENANTS.clean));
    expect(error.kind).toBe("unavailable");
    expect(error.message).toMatch(/unavailable \(get customer, HTTP 503\)/);
    expect(emulator.stats().byRoute["GET /customers/{id}"]).toBe(2 + 4);
  });

  it("turns permanent 4xx answers into readable typed errors without retrying", async () => {
    const missing = await caught(client.getCustomer("00000000-0000-4000-8000-000000000000"));
    expect(missing.kind).toBe("not_found");
    expect(missing.message).toMatch(/customer 00000000-0000-4000-8000-000000000000 not found/);
    expect(missing.details.status).toBe(404);

    const blocked = await caught(client.removeResellerRelationship(DEMO_TENANTS.legacyOnly));
    expect(blocked.kind).toBe("conflict");
    // Partner Center's own description, whatever its code
    expect(blocked.message).toMatch(/^Partner Center refused to remove the reseller relationship: Cannot remove the reseller relationship: Subscription [0-9a-f-]+ \(.+\) is still active/);
    expect(blocked.details.description).toMatch(/^Cannot remove the reseller relationship/);
    expect(emulator.stats().byRoute["PATCH /customers/{id}"]).toBe(1);

    const [nce] = await client.listSubscriptions(DEMO_TENANTS.nceAnnualOnly);
    if (!nce) throw new Error("seed");
    const outside = await caught(client.updateSubscription(DEMO_TENANTS.nceAnnualOnly, nce, { status: "deleted" }));
    expect(outside.kind).toBe("conflict");
    expect(outside.message).toMatch(/cancellation window/);

    const missingSub = await caught(client.updateSubscription(DEMO_TENANTS.legacyOnly, { id: nce.id.replace(/./, "0"), etag: "x" }, { status: "suspended" }));
    expect(missingSub.kind).toBe("not_found");

    const notOurs = await caught(client.listSubscriptions(DEMO_TENANTS.alreadyRemoved));
    expect(notOurs.kind).toBe("no_relationship");
    expect(notOurs.message).toMatch(/no reseller relationship with this customer any more/);
    expect(emulator.stats().faults + emulator.stats().throttled).toBe(0);
  });

  it("keeps under the configured rate on its own side", async () => {
    // 1200 rpm → one call every 50 ms
    const limited = fastClient(emulator.url, { rpm: 1200 });
    try {
      const started = Date.now();
      await Promise.all(Array.from({ length: 6 }, () => limited.getCustomer(DEMO_TENANTS.clean)));
      expect(Date.now() - started).toBeGreaterThanOrEqual(5 * 50 - 10);
    } finally {
      await limited.close();
    }
  });

  it("logs every call with its ids but never the token", async () => {
    const logger = recordingLogger();
    const logged = fastClient(emulator.url, { logger });
    try {
      emulator.configure({ failNext: [{ status: 503 }] });
      await logged.getCustomer(DEMO_TENANTS.clean);
    } finally {
      await logged.close();
    }
    expect(logger.lines.map((l) => [l.obj.status, l.obj.attempt])).toEqual([
      [503, 1],
      [200, 2],
    ]);
    expect(logger.lines[0]?.obj).toMatchObject({ method: "GET", path: `/v1/customers/${DEMO_TENANTS.clean}`, requestId: expect.any(String), correlationId: expect.any(String) });
    expect(JSON.stringify(logger.lines)).not.toContain("test-token");
  });
});

describe("PartnerCenterRestClient's log lines for refusals", () => {
  it("logs the answers the workflow expects (20002 after a removal, 404) as info, other refusals as errors", async () => {
    const server = await tinyServer((req, res) => {
      if (req.url.includes("/gone")) sendJson(res, 403, { code: 20002, description: "Partner has no commerce relationship with the customer.", source: "PartnerFD" });
      else if (req.url.includes("/missing")) sendJson(res, 404, { code: 600002, description: "Customer not found.", source: "PartnerFD" });
      else if (req.url.includes("/denied")) sendJson(res, 403, { code: 600014, description: "Access denied.", source: "PartnerFD" });
      else sendJson(res, 400, { code: 900001, description: "Bad request.", source: "PartnerFD" });
    });
    const logger = recordingLogger();
    const logged = fastClient(server.url, { logger });
    try {
      for (const tenant of ["gone", "missing", "denied", "bad"]) await caught(logged.getCustomer(tenant));
    } finally {
      await logged.close();
      await server.close();
    }
    expect(logger.lines.map((l) => [l.obj.status, l.obj.code, l.level])).toEqual([
      [403, 20002, "info"],
      [404, 600002, "info"],
      [403, 600014, "error"],
      [400, 900001, "error"],
    ]);
  });
});

describe("PartnerCenterRestClient against a misbehaving server", () => {
  it("never fails a read over a value it does not know: the item comes back unrecognised", async () => {
    const server = await tinyServer((req, res) => {
      if (req.url.includes("/subscriptions")) {
        sendJson(res, 200, { totalCount: 3, items: [{ id: "s1", offerId: "796B6B5F-613C-4E24-A17C-EBA730D49C02", quantity: 1, status: "frozen" }, { id: "s2", status: "active" }, "not an object"] });
      } else if (req.url.includes("/entitlements")) {
        sendJson(res, 200, { totalCount: 2, items: [{ entitlementType: "savingsplan", productId: "DZH318Z0BVS2", skuId: "0001" }, { entitlementType: 7 }] });
      } else sendJson(res, 200, { items: "none" });
    });
    const odd = fastClient(server.url);
    try {
      const subs = await odd.listSubscriptions("t1");
      expect(subs.map((s) => [s.id, s.status, s.statusText, s.commerceType])).toEqual([
        ["s1", "unrecognised", "frozen", "legacy"],
        ["s2", "active", "active", "unrecognised"],
        ["unreadable subscription 3", "unrecognised", "unreadable", "unrecognised"],
      ]);
      const holdings = await odd.readEntitlements("t1");
      expect(holdings.unrecognised.map((u) => u.what)).toEqual(['an entitlement of type "savingsplan"', "an entitlement in a form the app cannot read"]);
      // a body that is not a collection at all is still an unexpected response, not a guess
      const list = await caught(odd.listCustomers());
      expect(list.kind).toBe("unexpected_response");
      expect(list.message).toMatch(/items: /);
    } finally {
      await odd.close();
      await server.close();
    }
  });

  it("reports an answer that is not JSON clearly, without retrying", async () => {
    const server = await tinyServer((_req, res) => sendJson(res, 200, "<html>gateway</html>"));
    const bad = fastClient(server.url);
    try {
      const html = await caught(bad.readEntitlements("t1"));
      expect(html.kind).toBe("unexpected_response");
      expect(html.message).toMatch(/not JSON/);
      expect(server.seen.length).toBe(1);
    } finally {
      await bad.close();
      await server.close();
    }
  });

  it("retries network failures with the same MS-RequestId", async () => {
    let calls = 0;
    const server = await tinyServer((req, res) => {
      calls += 1;
      if (calls === 1) {
        res.socket?.destroy();
        return;
      }
      sendJson(res, 200, { id: "c1", companyProfile: { tenantId: "c1", domain: "c.example", companyName: "C" }, relationshipToPartner: "reseller" });
    });
    const flaky = fastClient(server.url);
    try {
      await expect(flaky.getCustomer("c1")).resolves.toMatchObject({ companyName: "C" });
      expect(server.seen.length).toBe(2);
      expect(server.seen[0]?.headers["ms-requestid"]).toBe(server.seen[1]?.headers["ms-requestid"]);
      expect(server.seen[0]?.headers.authorization).toBe("Bearer test-token");
    } finally {
      await flaky.close();
      await server.close();
    }
  });
});
