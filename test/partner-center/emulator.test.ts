import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { PartnerCenterError } from "../../src/partner-center/partner-center-api";
import type { PartnerCenterRestClient } from "../../src/partner-center/rest-client";
import { DEMO_TENANTS, REMOVAL_BLOCKED_CODE, startEmulator, type EmulatorHandle } from "../../src/stand-ins/partner-center";
import { DemoBuilder } from "../../src/stand-ins/partner-center/demo-builder";
import { seedDemoPartner } from "../../src/stand-ins/partner-center/demo-partner";
import { fastClient } from "./partner-center-test-support";

const auth = { Authorization: "Bearer any", Accept: "application/json" };

type Json = Record<string, unknown>;

async function raw(url: string, init: RequestInit = {}): Promise<{ status: number; headers: Headers; body: Json }> {
  const response = await fetch(url, { ...init, headers: { ...auth, "Content-Type": "application/json", ...(init.headers as Record<string, string> | undefined) } });
  return { status: response.status, headers: response.headers, body: (await response.json()) as Json };
}

async function caught(promise: Promise<unknown>): Promise<PartnerCenterError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  if (error instanceof PartnerCenterError) return error;
  throw new Error(`expected a PartnerCenterError, got ${String(error)}`);
}

describe("the Partner Center emulator", () => {
  let emulator: EmulatorHandle;
  let client: PartnerCenterRestClient;
  const subscriptionsOf = async (tenant: string) => (await raw(`${emulator.url}/customers/${tenant}/subscriptions`)).body.items as Array<Json & { id: string; status: string; offerId: string; attributes: { etag: string } }>;
  const patch = (tenant: string, sub: Json & { id: string }, changes: Json, etag?: string) =>
    raw(`${emulator.url}/customers/${tenant}/subscriptions/${sub.id}`, { method: "PATCH", headers: etag === undefined ? {} : { "If-Match": etag }, body: JSON.stringify({ ...sub, ...changes }) });

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
    expect(new Set(state.customers.map((c) => c.id))).toEqual(new Set(Object.values(DEMO_TENANTS)));
    const big = await client.listSubscriptions(DEMO_TENANTS.bigCustomer);
    expect(big.filter((s) => s.status === "active" && s.commerceType === "legacy")).toHaveLength(500);
    const inside = (await client.listSubscriptions(DEMO_TENANTS.nceInsideWindow)).find((s) => s.commerceType === "nce");
    expect((inside?.cancellableUntil?.getTime() ?? 0) - Date.now()).toBeGreaterThan(4 * 86_400_000);
    const [annual, ...others] = await client.listSubscriptions(DEMO_TENANTS.nceAnnualOnly);
    expect(others).toEqual([]);
    expect(annual).toMatchObject({ commerceType: "nce", status: "active", autoRenewEnabled: true });
    expect(annual?.cancellableUntil?.getTime()).toBeLessThan(Date.now());
    expect((await client.listSubscriptions(DEMO_TENANTS.azurePlan)).find((s) => s.commerceType === "azure_plan")).toMatchObject({ offerName: "Azure plan", status: "active" });
    expect((await client.listSubscriptions(DEMO_TENANTS.statusNone)).map((s) => s.status)).toContain("none");
    expect((await client.readEntitlements(DEMO_TENANTS.savingsPlan)).unrecognised).toEqual([expect.objectContaining({ what: 'an entitlement of type "savingsplan"' })]);
    const clean = await client.listSubscriptions(DEMO_TENANTS.clean);
    expect(clean.every((s) => s.status === "suspended" || s.status === "deleted")).toBe(true);
  });

  it("answers a customer whose relationship is gone with 403 and code 20002, for every call", async () => {
    for (const suffix of ["", "/subscriptions", "/entitlements", "/orders"]) {
      const answer = await raw(`${emulator.url}/customers/${DEMO_TENANTS.alreadyRemoved}${suffix}`);
      expect([suffix, answer.status, answer.body.code]).toEqual([suffix, 403, 20002]);
    }
    const error = await caught(client.getCustomer(DEMO_TENANTS.alreadyRemoved));
    expect(error.kind).toBe("no_relationship");
    expect(error.message).toMatch(/^There is no reseller relationship with this customer any more/);
    // and it has left the partner's list
    const listed = (await raw(`${emulator.url}/customers?size=100`)).body.items as Array<{ id: string }>;
    expect(listed.map((c) => c.id)).not.toContain(DEMO_TENANTS.alreadyRemoved);
  });

  it("lists reservations as documented: reservedinstance with its type, expiry only with showExpiry, the legacy type only when asked for", async () => {
    const url = `${emulator.url}/customers/${DEMO_TENANTS.activeReservation}/entitlements`;
    const plain = (await raw(url)).body.items as Json[];
    expect(plain).toEqual([expect.objectContaining({ entitlementType: "reservedinstance", dynamicAttributes: { reservationType: "virtualmachines" } })]);
    expect(plain[0]).not.toHaveProperty("expiryDate");
    expect(((await raw(`${url}?showExpiry=true`)).body.items as Json[])[0]).toHaveProperty("expiryDate", expect.any(String));
    const legacy = (await raw(`${url}?entitlementType=virtualmachinereservedinstance`)).body.items as Json[];
    expect(legacy).toEqual([expect.objectContaining({ entitlementType: "virtual_machine_reserved_instance" })]);
    expect(plain.some((e) => e.entitlementType === "virtual_machine_reserved_instance")).toBe(false);

    const [reservation] = (await client.readEntitlements(DEMO_TENANTS.activeReservation)).reservations;
    expect(reservation).toMatchObject({ name: "VM_RI_D2s_v5_WestEurope_1Y", reservationType: "virtualmachines", quantity: 1, provisioningState: "Succeeded" });
    expect(reservation?.expiresAt?.getTime()).toBeGreaterThan(Date.now());
    const byArtifact = emulator.requests().filter((r) => r.route.includes("/artifacts/"));
    expect(byArtifact).toHaveLength(1);
  });

  it("requires the full resource and If-Match on a subscription PATCH, and answers 412 on a stale etag", async () => {
    const tenant = DEMO_TENANTS.legacyOnly;
    const [active] = (await subscriptionsOf(tenant)).filter((s) => s.status === "active");
    if (!active) throw new Error("seed");
    const partial = await raw(`${emulator.url}/customers/${tenant}/subscriptions/${active.id}`, { method: "PATCH", headers: { "If-Match": active.attributes.etag }, body: JSON.stringify({ id: active.id, status: "suspended" }) });
    expect(partial.status).toBe(400);
    expect(partial.body).toMatchObject({ code: 3000, description: expect.stringMatching(/full Subscription resource is required.*missing: offerId/), data: [], source: "PartnerFD" });
    expect((await patch(tenant, active, { status: "suspended" })).status).toBe(412);

    const done = await patch(tenant, active, { status: "suspended" }, active.attributes.etag);
    expect(done.status).toBe(200);
    expect(done.body).toMatchObject({ Id: active.id, Status: "suspended", Attributes: { ObjectType: "Subscription", Etag: expect.any(String) } });
    const stale = await patch(tenant, active, { status: "active" }, active.attributes.etag);
    expect(stale.status).toBe(412);
    expect(stale.body).toMatchObject({ code: expect.any(Number), description: expect.stringContaining("etag"), data: [], source: "PartnerFD" });
    // the request log keeps what was sent
    const logged = emulator.requests().filter((r) => r.method === "PATCH");
    expect(logged.map((r) => [r.status, r.ifMatch])).toEqual([
      [400, active.attributes.etag],
      [412, undefined],
      [200, active.attributes.etag],
      [412, active.attributes.etag],
    ]);
    expect(logged[2]?.body).toMatchObject({ id: active.id, offerId: active.offerId, status: "suspended", attributes: { etag: active.attributes.etag } });
  });

  it("applies new commerce's rules: suspend or cancel in the window, past it suspend and auto-renew, nothing on a suspended one, one change at a time", async () => {
    const inWindow = (await subscriptionsOf(DEMO_TENANTS.nceInsideWindow)).find((s) => s.offerId.includes(":"));
    const [past] = await subscriptionsOf(DEMO_TENANTS.nceAnnualOnly);
    if (!inWindow || !past) throw new Error("seed");
    expect((await patch(DEMO_TENANTS.nceAnnualOnly, past, { status: "deleted" }, past.attributes.etag)).body).toMatchObject({ code: 800096, description: expect.stringMatching(/cancellation window/) });
    expect((await patch(DEMO_TENANTS.nceAnnualOnly, past, { status: "suspended", autoRenewEnabled: false }, past.attributes.etag)).body).toMatchObject({ code: 3000, description: expect.stringMatching(/one at a time/) });
    const renewOff = await patch(DEMO_TENANTS.nceAnnualOnly, past, { autoRenewEnabled: false }, past.attributes.etag);
    expect(renewOff.body).toMatchObject({ AutoRenewEnabled: false, Status: "active" });
    const [after] = await subscriptionsOf(DEMO_TENANTS.nceAnnualOnly);
    if (!after) throw new Error("seed");
    expect((await patch(DEMO_TENANTS.nceAnnualOnly, after, { status: "suspended" }, after.attributes.etag)).body).toMatchObject({ Status: "suspended", AutoRenewEnabled: false });
    const [suspended] = await subscriptionsOf(DEMO_TENANTS.nceAnnualOnly);
    if (!suspended) throw new Error("seed");
    expect((await patch(DEMO_TENANTS.nceAnnualOnly, suspended, { autoRenewEnabled: true }, suspended.attributes.etag)).body).toMatchObject({ code: 800091 });
    // inside its window it can be cancelled
    expect((await patch(DEMO_TENANTS.nceInsideWindow, inWindow, { status: "deleted" }, inWindow.attributes.etag)).body).toMatchObject({ Status: "deleted" });
  });

  it("refuses to suspend an Azure plan with an active Azure subscription (403, 900115) until that is disabled", async () => {
    const tenant = DEMO_TENANTS.azurePlan;
    const plan = (await subscriptionsOf(tenant)).find((s) => s.offerId.startsWith("DZH318Z0BPS6"));
    if (!plan) throw new Error("seed");
    const azure = (await raw(`${emulator.url}/customers/${tenant}/subscriptions/${plan.id}/azureEntitlements`)).body.items as Array<{ id: string; friendlyName: string; status: string }>;
    expect(azure.map((a) => [a.friendlyName, a.status])).toEqual([
      ["GDI Production", "active"],
      ["GDI Sandbox", "disabled"],
    ]);
    const refused = await patch(tenant, plan, { status: "suspended" }, plan.attributes.etag);
    expect(refused).toMatchObject({ status: 403, body: { code: 900115, description: expect.stringMatching(/Azure Subscriptions in the active state/), data: [], source: "PartnerFD" } });
    const disabled = await fetch(`${emulator.origin}/_emulator/customers/${tenant}/azure-subscriptions/${azure[0]?.id ?? ""}/status`, { method: "POST", body: JSON.stringify({ status: "disabled" }) });
    expect(disabled.status).toBe(200);
    expect((await patch(tenant, plan, { status: "suspended" }, plan.attributes.etag)).body).toMatchObject({ Status: "suspended" });
  });

  it("refuses removal while a blocker remains and accepts it once everything is cleared", async () => {
    const tenant = DEMO_TENANTS.mixed;
    const refused = async () => {
      const error = await caught(client.removeResellerRelationship(tenant));
      expect(error.details).toMatchObject({ status: 400, code: REMOVAL_BLOCKED_CODE });
      return error.message;
    };
    expect(await refused()).toMatch(/Subscription .* is still active/);
    for (const sub of await client.listSubscriptions(tenant)) {
      if (sub.status !== "active") continue;
      const change = sub.commerceType === "nce" ? { status: "deleted" as const } : { status: "suspended" as const };
      expect((await client.updateSubscription(tenant, sub, change)).value.status).toBe(change.status);
    }
    expect(await refused()).toMatch(/Azure reservation .* Azure portal/);
    for (const reservation of (await client.readEntitlements(tenant)).reservations) {
      const cancelled = await fetch(`${emulator.origin}/_emulator/customers/${tenant}/reservations/${reservation.id}/cancel`, { method: "POST" });
      expect(cancelled.status).toBe(200);
    }
    expect((await client.readEntitlements(tenant)).reservations.map((r) => r.provisioningState)).toEqual(["Cancelled", "Cancelled"]);
    expect(await refused()).toMatch(/Software purchase .* cancel it/);
    const [purchase] = (await client.readEntitlements(tenant)).softwarePurchases;
    if (!purchase) throw new Error("seed");
    // as documented: the cancelled lines go to quantity 0, the order stays "completed", and the client reads it as cancelled
    const cancelled = await client.cancelSoftwarePurchase(tenant, purchase);
    expect(cancelled.value.status).toBe("cancelled");
    const order = emulator.snapshot().customers.find((c) => c.id === tenant)?.orders.find((o) => o.id === purchase.id);
    expect(order?.status).toBe("completed");
    expect(order?.lineItems.map((l) => l.quantity)).toEqual(purchase.lineItems.map(() => 0));
    expect((await client.readEntitlements(tenant)).softwarePurchases.map((p) => p.status)).toEqual(["cancelled"]);
    expect((await caught(client.cancelSoftwarePurchase(tenant, purchase))).message).toMatch(/already cancelled/);

    expect((await client.removeResellerRelationship(tenant)).value.relationshipToPartner).toBe("none");
    expect((await caught(client.getCustomer(tenant))).kind).toBe("no_relationship");
    const page = await client.listCustomers({ pageSize: 100 });
    expect(page.customers.map((c) => c.tenantId)).not.toContain(tenant);
    expect((await caught(client.removeResellerRelationship(tenant))).kind).toBe("no_relationship");
  });

  it("replays a repeated MS-RequestId without applying it twice", async () => {
    const tenant = DEMO_TENANTS.nceInsideWindow;
    const nce = (await client.listSubscriptions(tenant)).find((s) => s.commerceType === "nce");
    if (!nce) throw new Error("seed");
    const requestId = "6f1c3a52-0d1e-4b7a-9c2f-8e5d4a3b2c10";
    const first = await client.updateSubscription(tenant, nce, { status: "deleted" }, { requestId });
    // the same call again (say after a timeout): the stored answer, not a 400 "already deleted"
    const second = await client.updateSubscription(tenant, nce, { status: "deleted" }, { requestId });
    expect(second.value).toEqual(first.value);
    expect(emulator.stats().replays).toBe(1);
    // a new id is a new call, which Partner Center refuses
    const [resource] = (await subscriptionsOf(tenant)).filter((s) => s.id === nce.id);
    if (!resource) throw new Error("seed");
    expect((await patch(tenant, resource, { status: "deleted" }, resource.attributes.etag)).body).toMatchObject({ code: 2011 });
  });

  it("can carry out a change and lose its answer", async () => {
    emulator.configure({ failNext: [{ status: 400, afterApplying: true, body: "<html>Bad gateway</html>" }] });
    const error = await caught(client.removeResellerRelationship(DEMO_TENANTS.clean));
    expect(error.details.status).toBe(400);
    expect(emulator.snapshot().customers.find((c) => c.id === DEMO_TENANTS.clean)?.relationshipToPartner).toBe("none");
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

  it("exposes stats, config and reset over HTTP, and 401 without a token", async () => {
    await client.getCustomer(DEMO_TENANTS.clean);
    const stats = (await (await fetch(`${emulator.origin}/_emulator/stats`)).json()) as { byRoute: Record<string, number> };
    expect(stats.byRoute["GET /customers/{id}"]).toBe(1);
    const config = await fetch(`${emulator.origin}/_emulator/config`, { method: "POST", body: JSON.stringify({ latencyMs: 5, faultRate: 0 }) });
    expect(await config.json()).toMatchObject({ latencyMs: 5, faultRate: 0 });
    emulator.configure({ latencyMs: 0 });
    expect((await fetch(`${emulator.url}/customers?size=1`)).status).toBe(401);
    await fetch(`${emulator.origin}/_emulator/reset`, { method: "POST" });
    expect(emulator.stats().total).toBe(0);
  });

  it("serves route modules mounted by other stand-ins under their own prefix", async () => {
    emulator.mount({ prefix: "graph/v1.0", handle: (request) => ({ status: 200, body: JSON.stringify({ seen: request.segments }) }) });
    const answer = await fetch(`${emulator.origin}/graph/v1.0/tenantRelationships/delegatedAdminRelationships`);
    expect(await answer.json()).toEqual({ seen: ["tenantRelationships", "delegatedAdminRelationships"] });
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
        if (sub.status === "active") suspended.push((await client.updateSubscription(DEMO_TENANTS.ordinaryCoho, sub, { status: "suspended" })).value.id);
      }
      await client.removeResellerRelationship(DEMO_TENANTS.ordinaryCoho);
      await first.close();
      expect(fs.existsSync(path.join(dataDir, "emulator", "state.json"))).toBe(true);

      const second = await startEmulator({ port: 0, dataDir });
      try {
        const customer = second.snapshot().customers.find((c) => c.id === DEMO_TENANTS.ordinaryCoho);
        expect(customer?.relationshipToPartner).toBe("none");
        expect(customer?.subscriptions.filter((s) => suspended.includes(s.id)).every((s) => s.status === "suspended")).toBe(true);
      } finally {
        await client.close();
        await second.close();
      }
    } finally {
      fs.rmSync(dataDir, { recursive: true, force: true });
    }
  });
});

describe("an Azure plan and the customer's reservations (the emulator)", () => {
  let emulator: EmulatorHandle;
  const tenant = DEMO_TENANTS.azurePlan;

  beforeAll(async () => {
    // the demo's Azure plan, its Azure subscriptions all disabled, and one live reservation beside it
    const initialState = () => {
      const now = new Date();
      const state = seedDemoPartner(now);
      const customer = state.customers.find((c) => c.id === tenant);
      if (!customer) throw new Error("seed");
      for (const sub of customer.subscriptions) for (const azure of sub.azureSubscriptions ?? []) azure.status = "disabled";
      customer.entitlements.push(new DemoBuilder(tenant, now.getTime()).reservation("virtualmachines", "VM_RI_D2s_v5_GDI_1Y"));
      return state;
    };
    emulator = await startEmulator({ port: 0, host: "127.0.0.1", initialState });
  });
  afterAll(async () => emulator.close());

  it("refuses to suspend the plan while a reservation is live (403, 900115) and suspends it once the reservation is cancelled", async () => {
    const subscriptions = (await raw(`${emulator.url}/customers/${tenant}/subscriptions`)).body.items as Array<Json & { id: string; offerId: string; attributes: { etag: string } }>;
    const plan = subscriptions.find((s) => s.offerId.startsWith("DZH318Z0BPS6"));
    if (!plan) throw new Error("seed");
    const suspend = () =>
      raw(`${emulator.url}/customers/${tenant}/subscriptions/${plan.id}`, { method: "PATCH", headers: { "If-Match": plan.attributes.etag }, body: JSON.stringify({ ...plan, status: "suspended" }) });
    expect(await suspend()).toMatchObject({ status: 403, body: { code: 900115, description: expect.stringMatching(/active reservations/) } });
    const reservation = emulator.snapshot().customers.find((c) => c.id === tenant)?.entitlements.flatMap((e) => e.reservations ?? [])[0];
    const cancelled = await fetch(`${emulator.origin}/_emulator/customers/${tenant}/reservations/${reservation?.reservationId ?? ""}/cancel`, { method: "POST" });
    expect(cancelled.status).toBe(200);
    expect((await suspend()).body).toMatchObject({ Status: "suspended" });
  });
});
