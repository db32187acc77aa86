import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { DEMO_TENANTS, REMOVAL_BLOCKED_CODE, startEmulator, type EmulatorHandle } from "../../src/stand-ins/partner-center";
import { PartnerCenterError } from "../../src/partner-center/partner-center-api";
import type { PartnerCenterRestClient } from "../../src/partner-center/rest-client";
import { fastClient } from "./partner-center-test-support";

const auth = { Authorization: "Bearer any", Accept: "application/json" };

async function raw(url: string, init: RequestInit = {}): Promise<{ status: number; headers: Headers; body: Record<string, unknown> }> {
  const response = await fetch(url, { ...init, headers: { ...auth, "Content-Type": "application/json", ...(init.headers as Record<string, string> | undefined) } });
  return { status: response.status, headers: response.headers, body: (await response.json()) as Record<string, unknown> };
}

describe("the Partner Center emulator", () => {
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

  it("seeds the demo partner with every case", async () => {
    const state = emulator.snapshot();
    expect(state.customers.length).toBeGreaterThanOrEqual(12);
    expect(new Set(state.customers.map((c) => c.id))).toEqual(new Set(Object.values(DEMO_TENANTS)));
    const big = await client.listSubscriptions(DEMO_TENANTS.bigCustomer);
    expect(big.filter((s) => s.status === "active" && s.commerceType === "legacy")).toHaveLength(500);
    const inside = await client.listSubscriptions(DEMO_TENANTS.nceInsideWindow);
    const window = inside.find((s) => s.commerceType === "nce")?.cancellableUntil?.getTime() ?? 0;
    expect(window - Date.now()).toBeGreaterThan(4 * 86_400_000);
    const outside = await client.listSubscriptions(DEMO_TENANTS.nceOutsideWindow);
    expect(outside.find((s) => s.commerceType === "nce")?.cancellableUntil?.getTime()).toBeLessThan(Date.now());
    expect((await client.getCustomer(DEMO_TENANTS.alreadyRemoved)).relationshipToPartner).toBe("none");
    const clean = await client.listSubscriptions(DEMO_TENANTS.clean);
    expect(clean.every((s) => s.status === "suspended" || s.status === "deleted")).toBe(true);
  });

  it("answers in Partner Center's shapes: camelCase reads, PascalCase PATCH, PartnerFD errors, 401 without a token", async () => {
    const list = await raw(`${emulator.url}/customers/${DEMO_TENANTS.legacyOnly}/subscriptions`);
    expect(list.body).toMatchObject({ totalCount: 4, items: expect.any(Array), attributes: { objectType: "Collection" } });
    const items = list.body.items as Array<{ id: string; status: string; attributes: { etag: string } }>;
    const active = items.find((s) => s.status === "active");
    if (!active) throw new Error("seed");
    const patched = await raw(`${emulator.url}/customers/${DEMO_TENANTS.legacyOnly}/subscriptions/${active.id}`, {
      method: "PATCH",
      headers: { "If-Match": active.attributes.etag, "MS-RequestId": "a1" },
      body: JSON.stringify({ status: "suspended" }),
    });
    expect(patched.status).toBe(200);
    expect(patched.body).toMatchObject({ Id: active.id, Status: "suspended", Attributes: { ObjectType: "Subscription", Etag: expect.any(String) } });
    expect(patched.headers.get("ms-requestid")).toBe("a1");

    const again = await raw(`${emulator.url}/customers/${DEMO_TENANTS.legacyOnly}/subscriptions/${active.id}`, {
      method: "PATCH",
      headers: { "If-Match": active.attributes.etag },
      body: JSON.stringify({ status: "suspended" }),
    });
    expect(again.status).toBe(412);
    expect(again.body).toMatchObject({ code: expect.any(Number), description: expect.stringContaining("etag"), data: [], source: "PartnerFD" });

    const anonymous = await fetch(`${emulator.url}/customers?size=1`);
    expect(anonymous.status).toBe(401);
  });

  it("refuses removal while a blocker remains and accepts it once everything is cleared", async () => {
    const tenant = DEMO_TENANTS.mixed;
    const refused = async () => {
      const error = await client.removeResellerRelationship(tenant).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(PartnerCenterError);
      expect((error as PartnerCenterError).details).toMatchObject({ status: 400, code: REMOVAL_BLOCKED_CODE });
      return (error as PartnerCenterError).message;
    };

    expect(await refused()).toMatch(/Subscription .* is still active/);
    for (const sub of await client.listSubscriptions(tenant)) {
      if (sub.status === "active" && sub.commerceType === "legacy") await client.suspendSubscription(tenant, sub);
    }
    expect(await refused()).toMatch(/New-commerce subscription .* cancel it/);
    for (const sub of await client.listSubscriptions(tenant)) {
      if (sub.commerceType === "nce") expect((await client.cancelSubscription(tenant, sub)).value.status).toBe("deleted");
    }
    expect(await refused()).toMatch(/Azure reservation .* Azure portal/);
    for (const reservation of await client.listAzureReservations(tenant)) {
      const cancelled = await fetch(`${emulator.origin}/_emulator/customers/${tenant}/reservations/${reservation.id}/cancel`, { method: "POST" });
      expect(cancelled.status).toBe(200);
    }
    expect((await client.listAzureReservations(tenant)).every((r) => r.status === "cancelled")).toBe(true);
    expect(await refused()).toMatch(/Software purchase .* cancel it/);
    const [purchase] = await client.listSoftwarePurchases(tenant);
    if (!purchase) throw new Error("seed");
    expect((await client.cancelSoftwarePurchase(tenant, purchase)).value.status).toBe("cancelled");

    const removed = await client.removeResellerRelationship(tenant);
    expect(removed.value.relationshipToPartner).toBe("none");
    expect((await client.getCustomer(tenant)).relationshipToPartner).toBe("none");
    let page = await client.listCustomers({ pageSize: 100 });
    expect(page.customers.map((c) => c.tenantId)).not.toContain(tenant);
    expect(page.continuation).toBeUndefined();
    const twice = await client.removeResellerRelationship(tenant).catch((e: unknown) => e);
    expect((twice as PartnerCenterError).message).toMatch(/no reseller relationship/);
    page = await client.listCustomers({ pageSize: 100 });
    expect(page.customers).toHaveLength(12);
  });

  it("removes a customer that is already clean at once", async () => {
    await expect(client.removeResellerRelationship(DEMO_TENANTS.clean)).resolves.toMatchObject({ value: { relationshipToPartner: "none" } });
  });

  it("replays a repeated MS-RequestId without applying it twice", async () => {
    const tenant = DEMO_TENANTS.nceInsideWindow;
    const nce = (await client.listSubscriptions(tenant)).find((s) => s.commerceType === "nce");
    if (!nce) throw new Error("seed");
    const requestId = "6f1c3a52-0d1e-4b7a-9c2f-8e5d4a3b2c10";
    const first = await client.cancelSubscription(tenant, nce, { requestId });
    // the same call again (say after a timeout): the stored answer, not a 400 "already deleted"
    const second = await client.cancelSubscription(tenant, nce, { requestId });
    expect(second.value).toEqual(first.value);
    expect(emulator.stats().replays).toBe(1);
    const etagAfter = (await client.listSubscriptions(tenant)).find((s) => s.id === nce.id)?.etag;
    expect(etagAfter).toBe(first.value.etag);
    // a new id is a new call, which Partner Center refuses
    const fresh = await client.cancelSubscription(tenant, first.value).catch((e: unknown) => e);
    expect((fresh as PartnerCenterError).details.code).toBe(2011);
  });

  it("throttles beyond the configured rate with 429, Retry-After and Partner Center's body", async () => {
    emulator.configure({ rpm: 3 });
    try {
      const statuses: number[] = [];
      let last: Response | undefined;
      for (let i = 0; i < 4; i++) {
        last = await fetch(`${emulator.url}/customers?size=1`, { headers: auth });
        statuses.push(last.status);
      }
      expect(statuses).toEqual([200, 200, 200, 429]);
      expect(Number(last?.headers.get("retry-after"))).toBeGreaterThanOrEqual(1);
      expect(await last?.json()).toEqual({ statusCode: 429, message: expect.stringMatching(/^Rate limit is exceeded\. Try again in \d+ seconds\.$/) });
      expect(emulator.stats().throttled).toBe(1);
    } finally {
      emulator.configure({ rpm: 0 });
    }
  });

  it("exposes stats, config and reset over HTTP", async () => {
    await client.getCustomer(DEMO_TENANTS.clean);
    const stats = (await (await fetch(`${emulator.origin}/_emulator/stats`)).json()) as { byRoute: Record<string, number> };
    expect(stats.byRoute["GET /customers/{id}"]).toBe(1);
    const config = await fetch(`${emulator.origin}/_emulator/config`, { method: "POST", body: JSON.stringify({ latencyMs: 5, faultRate: 0 }) });
    expect(await config.json()).toMatchObject({ latencyMs: 5, faultRate: 0 });
    emulator.configure({ latencyMs: 0 });
    await fetch(`${emulator.origin}/_emulator/reset`, { method: "POST" });
    expect(emulator.stats().total).toBe(0);
  });
});

describe("emulator persistence", () => {
  it("keeps suspended subscriptions and removed customers across a restart", async () => {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "pc-emulator-"));
    try {
      const first = await startEmulator({ port: 0, dataDir });
      const client = fastClient(first.url);
      const suspended: string[] = [];
      for (const sub of await client.listSubscriptions(DEMO_TENANTS.ordinaryCoho)) {
        if (sub.status === "active") suspended.push((await client.suspendSubscription(DEMO_TENANTS.ordinaryCoho, sub)).value.id);
      }
      await client.removeResellerRelationship(DEMO_TENANTS.ordinaryCoho);
      await first.close();
      expect(fs.existsSync(path.join(dataDir, "emulator", "state.json"))).toBe(true);

      const second = await startEmulator({ port: 0, dataDir });
      const again = fastClient(second.url);
      try {
        const subs = await again.listSubscriptions(DEMO_TENANTS.ordinaryCoho);
        expect(subs.filter((s) => suspended.includes(s.id)).every((s) => s.status === "suspended")).toBe(true);
        expect((await again.getCustomer(DEMO_TENANTS.ordinaryCoho)).relationshipToPartner).toBe("none");
      } finally {
        await client.close();
        await again.close();
        await second.close();
      }
    } finally {
      fs.rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
