// /offboard scan over the demo partner, driven as Slack drives it (signed requests into the Bolt
// receiver, the Slack stand-in for the Web API): every demo case lands in its class, the channel
// gets a progress message, a result with counts and top reasons and the CSV in its thread, and
// /offboard scan status and the Home tab show the outcome.
import type { CleanupClass } from "../../src/domain";
import { DEMO_TENANTS, type DemoTenant } from "../../src/stand-ins/partner-center";
import { BYSTANDER, type Harness, OPERATOR, OPS_CHANNEL, startHarness, textOf, waitFor } from "../support/app-harness";
import { ACTIONS } from "../../src/slack/slack-inputs";

/** The demo partner's cases and the class each must get (activity window: 90 days). */
const EXPECTED: Partial<Record<DemoTenant, { cleanupClass: CleanupClass; kinds?: string[] }>> = {
  clean: { cleanupClass: "ready" },
  expiredReservation: { cleanupClass: "ready" },
  legacyOnly: { cleanupClass: "suspend_only" },
  bigCustomer: { cleanupClass: "suspend_only" },
  ordinaryCoho: { cleanupClass: "suspend_only" },
  ordinaryProseware: { cleanupClass: "suspend_only" },
  // new-commerce subscriptions bought 2, 27, 67 and 5 days ago: recent activity
  nceInsideWindow: { cleanupClass: "active" },
  nceOutsideWindow: { cleanupClass: "active" },
  nceAnnualOnly: { cleanupClass: "active" },
  ordinaryTrey: { cleanupClass: "active" },
  mixed: { cleanupClass: "active" },
  activeReservation: { cleanupClass: "blocked", kinds: ["azure_reservation"] },
  azurePlan: { cleanupClass: "blocked", kinds: ["azure_plan"] },
  softwarePurchase: { cleanupClass: "blocked", kinds: ["software_purchase"] },
  savingsPlan: { cleanupClass: "blocked", kinds: ["unrecognised_item"] },
  statusNone: { cleanupClass: "blocked", kinds: ["unrecognised_item"] },
  // bought 107 days ago, past its window: still billing, blocks past the 90-day window
  ordinaryAlpine: { cleanupClass: "blocked", kinds: ["nce_subscription_past_window"] },
};

let h: Harness;

beforeAll(async () => {
  h = await startHarness();
});
afterAll(async () => {
  await h.close();
});

async function finishedScan(): Promise<string> {
  const scan = await waitFor("the scan's result", async () => {
    const latest = await h.app.store.scans.latest();
    return latest && !latest.active && latest.resultTs ? latest : undefined;
  }, 60_000);
  return scan.jobId;
}

test("a bystander cannot start a scan; nothing is queued and the refusal is audited", async () => {
  const answered = await h.command(BYSTANDER, "scan");
  expect(answered.status).toBe(200);
  await h.app.slack.settle();
  expect(h.slack.ephemerals.at(-1)?.text).toMatch(/not|operator/i);
  expect(await h.app.store.scans.latest()).toBeNull();
  const refusals = await h.app.db.pool.query(`SELECT count(*)::int AS n FROM "AuditEvent" WHERE "action" = 'scan.start' AND "outcome" = 'refused'`);
  expect(refusals.rows[0]?.n).toBe(1);
});

test("/offboard scan classifies every demo customer, posts progress, the result and the CSV", async () => {
  expect((await h.command(OPERATOR, "scan")).status).toBe(200);
  const jobId = await finishedScan();
  await h.app.slack.settle();

  const results = await h.app.store.scans.results(jobId);
  const byTenant = new Map(results.map((r) => [r.tenantId, r]));
  for (const [key, expected] of Object.entries(EXPECTED)) {
    const row = byTenant.get(DEMO_TENANTS[key as DemoTenant]);
    expect({ key, cleanupClass: row?.cleanupClass }).toEqual({ key, cleanupClass: expected.cleanupClass });
    if (expected.kinds) expect({ key, kinds: row?.blockerKinds }).toEqual({ key, kinds: expected.kinds });
  }
  // the removed customer (Litware) is no longer on the partner's customer list
  expect(byTenant.has(DEMO_TENANTS.alreadyRemoved)).toBe(false);
  expect(results).toHaveLength(Object.keys(EXPECTED).length);

  // a second /offboard scan while none runs starts a new one; one was started here, so the ack said so
  expect(h.slack.ephemerals.some((e) => e.user === OPERATOR.id && e.text.includes("Portfolio scan started"))).toBe(true);

  const channel = h.slack.channelMessages(OPS_CHANNEL);
  const progress = channel.find((m) => m.text.startsWith("Portfolio scan:"));
  expect(progress).toBeDefined();
  expect(textOf(progress?.blocks ?? [])).toContain("100%");
  const result = channel.find((m) => m.text.startsWith("Portfolio scan finished"));
  expect(result?.text).toBe("Portfolio scan finished: 2 ready, 4 suspend-only, 6 blocked, 5 active, 0 unreadable");
  const resultText = textOf(result?.blocks ?? []);
  expect(resultText).toContain("Top reasons");
  expect(resultText).toContain("2 blocked: item the app does not recognise");

  // the CSV went to the result's thread through getUploadURLExternal, the upload and completeUploadExternal
  expect(h.slack.calls.map((c) => c.method)).toEqual(expect.arrayContaining(["files.getUploadURLExternal", "files.completeUploadExternal"]));
  expect(h.slack.files.shared).toHaveLength(1);
  const csv = h.slack.files.shared[0];
  expect(csv?.channel).toBe(OPS_CHANNEL);
  expect(csv?.threadTs).toBe(result?.ts);
  const lines = (csv?.content ?? "").trim().split("\r\n");
  expect(lines[0]).toBe("tenant id,name,domain,class,blockers,reasons,last activity,GDAP relationships");
  expect(lines).toHaveLength(1 + results.length);
  const contoso = lines.find((l) => l.startsWith(DEMO_TENANTS.legacyOnly));
  expect(contoso).toMatch(/^[0-9a-f-]+,Contoso Ltd,contoso\.onmicrosoft\.com,suspend_only,active legacy subscription,/);

  // the candidates' GDAP relationships, read from Graph with the decisions a removal would take
  // the last field, unquoted (RFC 4180 quotes one holding a comma)
  const gdapOf = (tenant: string) => /,("(?:[^"]|"")*"|[^,"]*)$/.exec(lines.find((l) => l.startsWith(tenant)) ?? "")?.[1]?.replace(/^"|"$/g, "");
  expect(contoso?.endsWith(",2 to end")).toBe(true);
  expect(gdapOf(DEMO_TENANTS.clean)).toBe("3 to end, 1 ended or ending");
  expect(gdapOf(DEMO_TENANTS.ordinaryCoho)).toBe("0 to end, 1 ended or ending");
  expect(gdapOf(DEMO_TENANTS.expiredReservation)).toBe("none");
  // not a candidate: not read (Wide World Importers has an active relationship, but recent activity)
  expect(gdapOf(DEMO_TENANTS.mixed)).toBe("");
  expect(h.graph.requests().filter((r) => r.method === "GET").length).toBeGreaterThanOrEqual(6);
  expect(resultText).toContain("*2* of the ready and suspend-only customers still give the partner admin access through GDAP relationships");

  // the scan's audit trail: who started it and what it found
  const audit = await h.app.db.pool.query<{ action: string; actor: string }>(`SELECT "action", "actor" FROM "AuditEvent" WHERE "action" LIKE 'scan.%' AND "outcome" = 'ok' ORDER BY "id"`);
  expect(audit.rows).toEqual([
    { action: "scan.started", actor: OPERATOR.id },
    { action: "scan.finished", actor: OPERATOR.id },
  ]);
});

test("/offboard scan status and the Home tab show the last scan", async () => {
  await h.command(OPERATOR, "scan status");
  await h.app.slack.settle();
  const status = h.slack.ephemerals.at(-1);
  expect(textOf(status?.blocks ?? [])).toContain("Finished");
  expect(textOf(status?.blocks ?? [])).toContain("*Ready*: 2");

  await h.sender.appHomeOpened(OPERATOR);
  const home = await waitFor("the operator's Home tab", () => h.slack.homeViews.get(OPERATOR.id) as { blocks: unknown[] } | undefined);
  const text = textOf(home.blocks);
  expect(text).toContain("Clean-up candidates");
  // the same two classes its Request batch removal… button offers, grouped: ready, then suspend-only
  const sections = (home.blocks as Array<{ text?: { text?: string } }>).map((b) => b.text?.text ?? "").join("\n");
  const ready = sections.indexOf("*Ready* (2)");
  const suspendOnly = sections.indexOf("*Suspend-only* (4)");
  expect(ready).toBeGreaterThanOrEqual(0);
  expect(suspendOnly).toBeGreaterThan(ready);
  for (const name of ["Fourth Coffee", "Blue Yonder Airlines"]) expect(sections.indexOf(`*${name}*`)).toBeGreaterThan(ready);
  for (const name of ["Fourth Coffee", "Blue Yonder Airlines"]) expect(sections.indexOf(`*${name}*`)).toBeLessThan(suspendOnly);
  expect(sections.indexOf("*Contoso Ltd*")).toBeGreaterThan(suspendOnly);
  expect(text).toContain(ACTIONS.requestBatch);
  // blocked customers are neither listed nor offered
  expect(text).not.toContain("Adventure Works Cycles");

  // someone who may not operate sees no candidates
  await h.sender.appHomeOpened(BYSTANDER);
  const other = await waitFor("the bystander's Home tab", () => h.slack.homeViews.get(BYSTANDER.id) as { blocks: unknown[] } | undefined);
  expect(textOf(other.blocks)).not.toContain("Clean-up candidates");
});

test("a scan started in a public channel the app is not in: the result posts there, the CSV goes to the requester's direct messages", async () => {
  const channel = "C0GENERAL";
  const before = { files: h.slack.files.shared.length, scans: (await h.app.store.scans.latest())?.jobId };
  expect((await h.sender.slashCommand(OPERATOR, channel, "scan", h.world.responseUrl(channel, OPERATOR.id))).status).toBe(200);
  const scan = await waitFor("the new scan's result", async () => {
    const latest = await h.app.store.scans.latest();
    return latest && latest.jobId !== before.scans && !latest.active && latest.resultTs ? latest : undefined;
  }, 60_000);
  // the scan's job ends as done once the result and the CSV have gone (its runner records that after them)
  await waitFor("the scan's job done", async () => (await h.app.db.prisma.job.findUnique({ where: { id: scan.jobId } }))?.state === "done");
  await h.app.slack.settle();
  // chat:write.public let the result into the channel; sharing a file there needs membership, which Slack refused
  const results = h.slack.channelMessages(channel).filter((m) => m.ts === scan.resultTs);
  expect(results).toHaveLength(1);
  expect(textOf(results[0]?.blocks ?? [])).toContain("Portfolio scan finished");
  expect(h.slack.refusals.filter((c) => c.method === "files.completeUploadExternal").map((c) => c.error)).toContain("not_in_channel");
  const [csv, ...more] = h.slack.files.shared.slice(before.files);
  expect(more).toEqual([]);
  expect(csv?.channel).toBe(h.slack.workspace.imWith(OPERATOR.id).id);
  expect((csv?.content ?? "").split("\r\n")[0]).toContain("tenant id");
  const note = h.slack.channelMessages(channel).find((m) => m.threadTs === scan.resultTs);
  expect(note?.text).toMatch(/could not be attached here \(Slack: not_in_channel\).*direct messages with the app/);
});
