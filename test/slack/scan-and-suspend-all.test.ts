// An operator's Suspend all during a portfolio scan runs as if the scan were not there: the
// scan's calls are background calls, and the pacer starts none of them while Suspend all works.
// (The time bound itself is measured by `npm run bench`, portfolio-scan.)
import { DEMO_TENANTS } from "../../src/stand-ins/partner-center";
import { ACTIONS } from "../../src/slack/slack-inputs";
import { type Harness, OPERATOR, OPS_CHANNEL, startHarness, waitFor } from "../support/app-harness";

let h: Harness;
const WOODGROVE = DEMO_TENANTS.bigCustomer;

beforeAll(async () => {
  // latency and one customer at a time keep the scan going for longer than Suspend all takes
  h = await startHarness({ emulatorOptions: { latencyMs: 60 }, env: { SCAN_CONCURRENCY: "1" } });
});
afterAll(async () => {
  await h.close();
});

const tenantOf = (path: string) => /\/customers\/([0-9a-f-]{36})/i.exec(path)?.[1]?.toLowerCase() ?? null;

test("no scan call starts while Suspend all works; the scan goes on afterwards", async () => {
  await h.command(OPERATOR, "Woodgrove Bank");
  const message = await waitFor("Woodgrove's case message", () => h.slack.messages.find((m) => m.channel === OPS_CHANNEL && m.text.includes("Woodgrove Bank")));

  await h.command(OPERATOR, "scan");
  const scan = await waitFor("a scan under way", async () => {
    const latest = await h.app.store.scans.latest();
    return latest && latest.active && (await h.app.store.scans.counts(latest.jobId)).done >= 2 ? latest : undefined;
  });

  expect((await h.press(OPERATOR, message, ACTIONS.suspendAll)).status).toBe(200);
  await waitFor("Woodgrove's 500 subscriptions suspended", () => h.emulator.snapshot().customers.find((c) => c.id === WOODGROVE)?.subscriptions.every((s) => s.status === "suspended"), 60_000);

  const log = h.emulator.requests();
  const patches = log.map((r, i) => (r.method === "PATCH" && tenantOf(r.path) === WOODGROVE ? i : -1)).filter((i) => i >= 0);
  expect(patches).toHaveLength(500);
  const first = patches[0] ?? 0;
  const last = patches.at(-1) ?? 0;
  // the scan reads other customers (GETs); between Suspend all's first and last PATCH none reached Partner Center
  const scanReadsDuring = log.slice(first, last + 1).filter((r) => r.method === "GET" && tenantOf(r.path) !== WOODGROVE);
  expect(scanReadsDuring.map((r) => r.path)).toEqual([]);

  // and the scan was not stopped by it: it finishes with every customer read
  const finished = await waitFor("the scan's end", async () => {
    const latest = await h.app.store.scans.get(scan.jobId);
    return latest && !latest.active ? latest : undefined;
  }, 60_000);
  expect((await h.app.store.scans.counts(finished.jobId)).done).toBe(17);
  const scanReadsAfter = h.emulator.requests().slice(last + 1).filter((r) => r.method === "GET" && tenantOf(r.path) !== WOODGROVE);
  expect(scanReadsAfter.length).toBeGreaterThan(0);
});
