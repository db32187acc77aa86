// Partner Center failing one call in ten (half 429 with Retry-After, half 503): Suspend all on
// 500 subscriptions still ends with every one suspended, each change applied once.
import { DEMO_TENANTS } from "../../src/stand-ins/partner-center/demo-partner";
import { ACTIONS } from "../../src/slack/slack-inputs";
import { type Harness, OPERATOR, OPS_CHANNEL, buttonsOf, startHarness, textOf, waitFor } from "../support/app-harness";
import { appliedChanges, statusesOf } from "../support/suspension-counts";

let h: Harness;

beforeAll(async () => {
  h = await startHarness({ emulatorOptions: { latencyMs: 1, faultRate: 0.05, throttleFaultRate: 0.05, throttleRetryAfterSeconds: 1 } });
});
afterAll(async () => h.close());

test("Suspend all on 500 subscriptions with 10% of Partner Center calls failing ends with every subscription suspended", async () => {
  const tenant = DEMO_TENANTS.bigCustomer;
  const message = await waitFor(
    "case message",
    async () => {
      const found = h.slack.messages.find((m) => m.channel === OPS_CHANNEL && m.text.includes("Woodgrove Bank"));
      if (found) return found;
      await h.command(OPERATOR, "Woodgrove Bank");
      return waitFor("case message", () => h.slack.messages.find((m) => m.channel === OPS_CHANNEL && m.text.includes("Woodgrove Bank")), 5_000).catch(() => undefined);
    },
    60_000,
  );
  expect(buttonsOf(message.blocks).some((b) => b.action_id === ACTIONS.suspendAll)).toBe(true);
  await h.press(OPERATOR, message, ACTIONS.suspendAll);
  await waitFor("the case message shows the finished job", () => textOf(message.blocks).includes("500 / 500"), 120_000);
  expect(textOf(message.blocks)).not.toContain("failed");

  expect(statusesOf(h.emulator, tenant).every((s) => s === "suspended")).toBe(true);
  const stats = h.emulator.stats();
  expect(stats.throttled).toBeGreaterThan(0);
  expect(stats.faults).toBeGreaterThan(0);
  // a failed call was not applied (the fault is injected before the request is handled), and its
  // retry carries the same MS-RequestId: each subscription changed once
  const applied = appliedChanges(h.emulator, tenant);
  expect(applied.size).toBe(500);
  expect([...applied.values()].every((n) => n === 1)).toBe(true);
  const c = await h.app.store.cases.findActiveByTenant(tenant);
  expect((await h.app.store.jobs.latestForCase(c?.id ?? ""))?.state).toBe("done");
}, 180_000);
