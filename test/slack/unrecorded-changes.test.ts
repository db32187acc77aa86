// A single press whose change lands in Partner Center while the write of its "ok" event fails (the
// database away, the process gone): the press's job is tried again, reads the item already
// changed, and must record the change once, with the read-back noted, instead of refusing it as
// nothing to do. Driven through signed Slack requests; the audit write fails once on purpose.
import type { AuditEventInput } from "../../src/store";
import { DEMO_TENANTS } from "../../src/stand-ins/partner-center/demo-partner";
import { ACTIONS } from "../../src/slack/slack-inputs";
import { type Harness, OPERATOR, buttonsOf, startHarness, waitFor } from "../support/app-harness";
import { openCase } from "../support/slack-steps";
import { appliedChanges } from "../support/suspension-counts";

let h: Harness;

beforeAll(async () => {
  h = await startHarness();
});
afterAll(async () => h.close());

/** The next "ok" event of `action` is not written: the write throws, as with the database away. */
function failNextOk(action: string): { failed: () => number } {
  const audit = h.app.store.audit;
  const append = audit.append.bind(audit);
  let failed = 0;
  audit.append = async (event: AuditEventInput) => {
    if (event.action === action && event.outcome === "ok" && failed === 0) {
      failed += 1;
      throw new Error("the database went away");
    }
    return append(event);
  };
  return { failed: () => failed };
}

async function eventsOf(tenantId: string, action: string) {
  return (await h.app.store.audit.listByTenant(tenantId)).filter((e) => e.action === action);
}

test("Suspend: a suspension that landed unrecorded is recorded once by the press's retry", async () => {
  const tenant = DEMO_TENANTS.legacyOnly;
  const message = await openCase(h, "Contoso Ltd");
  await h.app.slack.settle();
  const fault = failNextOk("subscription.suspend");
  const ephemerals = h.slack.ephemerals.filter((e) => e.user === OPERATOR.id).length;
  await h.press(OPERATOR, message, ACTIONS.suspendSubscription);
  await waitFor("the press worked to its end (a retry after the failed write)", async () => {
    await h.app.slack.settle();
    return fault.failed() === 1;
  });
  await h.app.slack.settle();

  // Partner Center: one subscription suspended, by one applied PATCH
  expect([...appliedChanges(h.emulator, tenant).values()]).toEqual([1]);
  const events = await eventsOf(tenant, "subscription.suspend");
  expect(events.map((e) => e.outcome)).toEqual(["started", "ok"]);
  const [started, ok] = events;
  expect(ok?.actor).toBe(OPERATOR.id);
  expect(ok?.detail["subscriptionId"]).toBe(started?.detail["subscriptionId"]);
  expect(String(ok?.detail["readBack"])).toContain("found done");
  // the change's own request id, as sent by the first attempt
  expect(ok?.pcRequestId).toBe(started?.detail["sentRequestId"]);
  // the operator was not told there was nothing to do; the message shows the suspension
  expect(h.slack.ephemerals.filter((e) => e.user === OPERATOR.id).slice(ephemerals).map((e) => e.text)).toEqual([]);
  await waitFor("the message without that Suspend button", () => buttonsOf(message.blocks).filter((b) => b.action_id === ACTIONS.suspendSubscription).length === 2);
});

test("Cancel purchase: a cancellation that landed unrecorded is recorded once by the press's retry", async () => {
  const tenant = DEMO_TENANTS.softwarePurchase;
  const message = await openCase(h, "Tailspin Toys");
  await h.app.slack.settle();
  const fault = failNextOk("software_purchase.cancel");
  await h.press(OPERATOR, message, ACTIONS.cancelSoftware);
  await waitFor("the press worked to its end", async () => {
    await h.app.slack.settle();
    return fault.failed() === 1;
  });
  await h.app.slack.settle();

  expect(h.emulator.snapshot().customers.find((c) => c.id === tenant)?.orders.every((o) => o.lineItems.every((l) => l.quantity === 0))).toBe(true);
  const events = await eventsOf(tenant, "software_purchase.cancel");
  expect(events.map((e) => e.outcome)).toEqual(["started", "ok"]);
  expect(String(events[1]?.detail["readBack"])).toContain("found done");
  expect((await h.app.store.audit.listByTenant(tenant)).filter((e) => e.outcome === "refused")).toEqual([]);
});

test("a press whose writes all work records its start and its change, with no read-back", async () => {
  // the next Contoso subscription: nothing fails, nothing is answered later
  const tenant = DEMO_TENANTS.legacyOnly;
  const message = await openCase(h, "Contoso Ltd");
  await h.app.slack.settle();
  await h.press(OPERATOR, message, ACTIONS.suspendSubscription);
  await h.app.slack.settle();
  const events = await eventsOf(tenant, "subscription.suspend");
  expect(events.map((e) => e.outcome)).toEqual(["started", "ok", "started", "ok"]);
  expect(events[3]?.detail["readBack"]).toBeUndefined();
});
