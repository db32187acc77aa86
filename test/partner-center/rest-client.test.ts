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
    expect(pages).toBe(3);
    expect(new Set(seen).size).toBe(seen.length);
    expect(seen).toContain(DEMO_TENANTS.bigCustomer);
    // a removed customer has left the partner's list
    expect(seen).not.toContain(DEMO_TENANTS.alreadyRemoved);
    expect(seen.length).toBe(13);
  });

  it("maps customers, subscriptions, reservations and software purchases to domain types", async () => {
    const customer = await client.getCustomer(DEMO_TENANTS.legacyOnly);
    expect(customer).toEqual({ tenantId: DEMO_TENANTS.legacyOnly, companyName: "Contoso Ltd", domain: "contoso.onmicrosoft.com", relationshipToPartner: "reseller" });

    const subs = await client.listSubscriptions(DEMO_TENANTS.mixed);
    const nce = subs.find((s) => s.commerceType === "nce");
    expect(nce?.cancellableUntil?.getTime()).toBeGreaterThan(Date.now());
    expect(subs.filter((s) => s.commerceType === "legacy" && s.status === "active").length).toBeGreaterThan(0);
    expect(subs.every((s) => typeof s.etag === "string")).toBe(true);

    const reservations = await client.listAzureReservations(DEMO_TENANTS.mixed);
    expect(reservations).toHaveLength(2);
    expect(reservations.every((r) => r.status === "active")).toBe(true);

    const software = await client.listSoftwarePurchases(DEMO_TENANTS.mixed);
    expect(software).toHaveLength(1);
    expect(software[0]).toMatchObject({ status: "active", lineItems: [{ lineItemNumber: 0, offerId: expect.stringContaining(":") }] });
    expect(software[0]?.cancellableUntil?.getTime()).toBeGreaterThan(Date.now());

    expect(await client.getRelationshipRequestLink()).toMatch(/^https:\/\/admin\.microsoft\.com\/.*invType=ResellerRelationship/);
  });

  it("suspends with the etag and reads the PascalCase answer", async () => {
    const [sub] = (await client.listSubscriptions(DEMO_TENANTS.legacyOnly)).filter((s) => s.status === "active");
    if (!sub) throw new Error("seed has an active subscription");
    const result = await client.suspendSubscription(DEMO_TENANTS.legacyOnly, sub, { requestId: "11111111-2222-4333-8444-555555555555" });
    expect(result.value).toMatchObject({ id: sub.id, status: "suspended", commerceType: "legacy" });
    expect(result.value.etag).not.toBe(sub.etag);
    expect(result.requestId).toBe("11111111-2222-4333-8444-555555555555");
    const reactivated = await client.reactivateSubscription(DEMO_TENANTS.legacyOnly, result.value);
    expect(reactivated.value.status).toBe("active");
  });

  it("honours Retry-After on a 429 and reuses the MS-RequestId on the retry", async () => {
    emulator.configure({ failNext: [{ status: 429, retryAfterSeconds: 1 }] });
    const started = Date.now();
    const [sub] = (await client.listSubscriptions(DEMO_TENANTS.ordinaryCoho)).filter((s) => s.status === "active");
    expect(Date.now() - started).toBeGreaterThanOrEqual(1000);
    if (!sub) throw new Error("seed has an active subscription");

    emulator.configure({ failNext: [{ status: 503 }, { status: 502 }] });
    const result = await client.suspendSubscription(DEMO_TENANTS.ordinaryCoho, sub);
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
    expect(blocked.message).toMatch(/cannot be removed yet.*Subscription [0-9a-f-]+ \(.+\) is still active/);
    expect(emulator.stats().byRoute["PATCH /customers/{id}"]).toBe(1);

    const [nce] = await client.listSubscriptions(DEMO_TENANTS.nceOutsideWindow);
    if (!nce) throw new Error("seed");
    const outside = await caught(client.cancelSubscription(DEMO_TENANTS.nceOutsideWindow, nce));
    expect(outside.kind).toBe("conflict");
    expect(outside.message).toMatch(/cancellation window/);

    const stale = await caught(client.suspendSubscription(DEMO_TENANTS.legacyOnly, { id: nce.id.replace(/./, "0"), etag: "x" }));
    expect(stale.kind).toBe("not_found");

    const [legacy] = (await client.listSubscriptions(DEMO_TENANTS.legacyOnly)).filter((s) => s.status === "active");
    if (!legacy) throw new Error("seed");
    const etagMismatch = await caught(client.suspendSubscription(DEMO_TENANTS.legacyOnly, { id: legacy.id, etag: "stale" }));
    expect(etagMismatch.kind).toBe("conflict");
    expect(etagMismatch.message).toMatch(new RegExp(`subscription ${legacy.id} changed since it was read`));

    const notOurs = await caught(client.suspendSubscription(DEMO_TENANTS.alreadyRemoved, { id: legacy.id, etag: "x" }));
    expect(notOurs.kind).toBe("forbidden");
    expect(notOurs.message).toMatch(/not authorised for this customer/);
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

describe("PartnerCenterRestClient against a misbehaving server", () => {
  it("reports an unexpected response shape clearly", async () => {
    const server = await tinyServer((req, res) => {
      if (req.url.includes("bad-status")) sendJson(res, 200, { totalCount: 1, items: [{ id: "s1", offerId: "x", offerName: "x", quantity: 1, status: "frozen" }] });
      else if (req.url.includes("/subscriptions")) sendJson(res, 200, { totalCount: 1, items: [{ id: "abc", status: "active" }] });
      else if (req.url.includes("/entitlements")) sendJson(res, 200, "<html>gateway</html>");
      else sendJson(res, 200, { items: "none" });
    });
    const bad = fastClient(server.url);
    try {
      const shape = await caught(bad.listSubscriptions("t1"));
      expect(shape.kind).toBe("unexpected_response");
      expect(shape.message).toMatch(/unexpected response to list subscriptions.*items\.0\.quantity/);
      const html = await caught(bad.listAzureReservations("t1"));
      expect(html.kind).toBe("unexpected_response");
      expect(html.message).toMatch(/not JSON/);
      const status = await caught(bad.listSubscriptions("bad-status"));
      expect(status.kind).toBe("unexpected_response");
      expect(status.message).toMatch(/unknown status "frozen"/);
      const list = await caught(bad.listCustomers());
      expect(list.message).toMatch(/items: /);
      // no retries for a malformed answer
      expect(server.seen.length).toBe(4);
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
