// A demo partner with 20 more customers ready to offboard (one suspended legacy subscription each,
// bought long ago), for batch removal tests; and the steps to get a finished scan of it.
import { DemoBuilder, stableGuid } from "../../src/stand-ins/partner-center/demo-builder";
import { seedDemoPartner } from "../../src/stand-ins/partner-center/demo-partner";
import type { EmulatorState } from "../../src/stand-ins/partner-center/emulator-state";
import { PORTFOLIO_SCAN } from "../../src/store";
import { type Harness, OPERATOR, waitFor } from "./app-harness";

export const BATCH_SIZE = 20;

export const batchTenant = (i: number) => stableGuid(`batch-customer-${i}`);
export const batchName = (i: number) => `Batch Customer ${String(i).padStart(2, "0")}`;

export function partnerWithBatchCustomers(): EmulatorState {
  const now = new Date();
  const state = seedDemoPartner(now);
  for (let i = 0; i < BATCH_SIZE; i += 1) {
    const b = new DemoBuilder(batchTenant(i), now.getTime());
    state.customers.push({ id: batchTenant(i), companyName: batchName(i), domain: `batch${i}.onmicrosoft.com`, relationshipToPartner: "reseller", subscriptions: [b.legacy("suspended", i)], entitlements: [], orders: [] });
  }
  return state;
}

/** /offboard scan, worked to the end (the harness runs without background work). */
export async function finishedScan(h: Harness): Promise<string> {
  await h.command(OPERATOR, "scan");
  await waitFor("the scan queued", () => h.app.store.scans.latest().then((s) => s ?? undefined));
  await h.app.runner.drain(PORTFOLIO_SCAN);
  await h.app.slack.settle();
  const scan = await h.app.store.scans.latest();
  if (!scan || scan.active) throw new Error("the scan did not finish");
  return scan.jobId;
}

/** Makes a customer's first subscription active again behind the app's back (the emulator's test control). */
export async function reactivate(h: Harness, tenantId: string): Promise<void> {
  const sub = h.emulator.snapshot().customers.find((c) => c.id === tenantId)?.subscriptions[0];
  if (!sub) throw new Error("no subscription to reactivate");
  const answer = await fetch(`${h.emulator.origin}/_emulator/customers/${tenantId}/subscriptions/${sub.id}/status`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ status: "active" }),
  });
  if (!answer.ok) throw new Error(`the emulator refused: ${answer.status}`);
}
