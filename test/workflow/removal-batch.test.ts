// The batch workflow over the store (PGlite, or PostgreSQL with DATABASE_URL): a suspend-only
// customer is suspended then removed, a customer taken out is closed and left alone, refusals
// are audited, and a batch nobody decides expires with its cases.
import { DEMO_TENANTS } from "../../src/stand-ins/partner-center/demo-partner";
import { BATCH_REMOVAL } from "../../src/store";
import { APPROVAL_CHANNEL, APPROVER, type Harness, OPERATOR, SECOND_APPROVER, startHarness, waitFor } from "../support/app-harness";
import { finishedScan, partnerWithBatchCustomers } from "../support/batch-world";

const WHY = "These customers moved to another partner";

/** Each describe's own app over the batch partner, its scan finished; the harness once beforeAll has run. */
function scannedBatchWorld(env: Record<string, string> = {}): () => Harness {
  let h: Harness | undefined;
  beforeAll(async () => {
    h = await startHarness({ emulatorOptions: { initialState: partnerWithBatchCustomers }, background: false, env });
    await finishedScan(h);
  });
  afterAll(async () => h?.close());
  return () => {
    if (!h) throw new Error("the batch world is not started");
    return h;
  };
}

async function memberIn(h: Harness, batchId: string, tenantId: string) {
  return (await h.app.store.batches.members(batchId)).find((m) => m.tenantId === tenantId);
}

describe("a batch with a suspend-only customer and one taken out", () => {
  let h: Harness;
  const world = scannedBatchWorld();
  beforeAll(() => (h = world()));

  test("a blocked customer or a customer with an open case cannot go into a batch", async () => {
    const blocked = await h.app.workflow.requestBatch(APPROVER.id, [DEMO_TENANTS.activeReservation], WHY);
    expect(blocked).toMatchObject({ ok: false });
    await h.app.workflow.startCase(OPERATOR.id, DEMO_TENANTS.expiredReservation);
    const busy = await h.app.workflow.requestBatch(APPROVER.id, [DEMO_TENANTS.expiredReservation], WHY);
    expect(!busy.ok && busy.refusal.message).toContain("Blue Yonder Airlines");
    const refusals = await h.app.db.pool.query(`SELECT count(*)::int AS n FROM "AuditEvent" WHERE "action" = 'batch.request' AND "outcome" = 'refused'`);
    expect(refusals.rows[0]?.n).toBe(2);
  });

  test("suspend-only is suspended then removed; the one taken out is closed and keeps its relationship", async () => {
    const requested = await h.app.workflow.requestBatch(APPROVER.id, [DEMO_TENANTS.legacyOnly, DEMO_TENANTS.clean], WHY);
    if (!requested.ok) throw new Error(requested.refusal.message);
    const batchId = requested.value.batch.id;

    // a bystander cannot take anyone out; an approver can
    expect(await h.app.workflow.takeOutOfBatch(OPERATOR.id, batchId, [DEMO_TENANTS.clean])).toMatchObject({ ok: false, refusal: { code: "not_approver" } });
    const taken = await h.app.workflow.takeOutOfBatch(SECOND_APPROVER.id, batchId, [DEMO_TENANTS.clean]);
    expect(taken.ok && taken.value.members.find((m) => m.tenantId === DEMO_TENANTS.clean)?.takenOut).toBe(true);
    const closed = (await h.app.store.cases.listByTenant(DEMO_TENANTS.clean))[0];
    expect(closed?.state).toBe("cancelled");

    const approved = await h.app.workflow.approveBatch(SECOND_APPROVER.id, batchId, { endGdap: false });
    expect(approved.ok).toBe(true);
    // pressed again by the same approver (a retried job): nothing new
    expect((await h.app.workflow.approveBatch(SECOND_APPROVER.id, batchId, { endGdap: false })).ok).toBe(true);
    const jobs = await h.app.db.pool.query(`SELECT count(*)::int AS n FROM "Job" WHERE "kind" = $1`, [BATCH_REMOVAL]);
    expect(jobs.rows[0]?.n).toBe(1);
    await h.app.runner.drain(BATCH_REMOVAL);

    const contoso = h.emulator.snapshot().customers.find((c) => c.id === DEMO_TENANTS.legacyOnly);
    expect(contoso?.relationshipToPartner).toBe("none");
    expect(contoso?.subscriptions.every((s) => s.status !== "active")).toBe(true);
    expect(h.emulator.snapshot().customers.find((c) => c.id === DEMO_TENANTS.clean)?.relationshipToPartner).toBe("reseller");
    const members = await h.app.store.batches.members(batchId);
    expect(members.find((m) => m.tenantId === DEMO_TENANTS.legacyOnly)).toMatchObject({ outcome: "suspended_removed" });
    expect((await h.app.store.batches.get(batchId))?.state).toBe("done");
    const suspensions = (await h.app.store.audit.listByTenant(DEMO_TENANTS.legacyOnly)).filter((e) => e.action === "subscription.suspend" && e.outcome === "ok");
    expect(suspensions.length).toBe(3);
    expect(suspensions.every((e) => e.actor === SECOND_APPROVER.id)).toBe(true);
  });
});

describe("a batch nobody decides", () => {
  let h: Harness;
  const world = scannedBatchWorld({ APPROVAL_TTL_HOURS: "0.0002" });
  beforeAll(() => (h = world()));

  test("expires with its cases; an approval after the window is refused and removes nothing", async () => {
    const requested = await h.app.workflow.requestBatch(APPROVER.id, [DEMO_TENANTS.clean, DEMO_TENANTS.expiredReservation], WHY);
    if (!requested.ok) throw new Error(requested.refusal.message);
    const batchId = requested.value.batch.id;
    await waitFor("the window to pass", () => Date.now() > requested.value.batch.expiresAt.getTime() + 50);
    expect(await h.app.workflow.approveBatch(SECOND_APPROVER.id, batchId, { endGdap: false })).toMatchObject({ ok: false });
    await h.app.workflow.expireDue();
    expect((await h.app.store.batches.get(batchId))?.state).toBe("expired");
    const states = await Promise.all(requested.value.members.map((m) => h.app.store.cases.get(m.caseId)));
    expect(states.map((c) => c?.state)).toEqual(["expired", "expired"]);
    expect(h.emulator.stats().byRoute["PATCH /customers/{id}"] ?? 0).toBe(0);
    const expired = await h.app.db.pool.query(`SELECT count(*)::int AS n FROM "AuditEvent" WHERE "action" = 'batch.expired'`);
    expect(expired.rows[0]?.n).toBe(1);
  });
});

describe("the report follows each customer's case", () => {
  let h: Harness;
  const world = scannedBatchWorld();
  beforeAll(() => (h = world()));

  async function approvedBatch(tenantId: string): Promise<string> {
    const requested = await h.app.workflow.requestBatch(APPROVER.id, [tenantId], WHY);
    if (!requested.ok) throw new Error(requested.refusal.message);
    expect((await h.app.workflow.approveBatch(SECOND_APPROVER.id, requested.value.batch.id, { endGdap: false })).ok).toBe(true);
    return requested.value.batch.id;
  }
  const memberOf = (batchId: string, tenantId: string) => memberIn(h, batchId, tenantId);

  test("a customer whose job gave up is reported removed once the sweep finishes its removal", async () => {
    const tenant = DEMO_TENANTS.clean;
    const batchId = await approvedBatch(tenant);
    // one try only, and its re-check cannot read the customer: the job gives up with the case approved
    await h.app.db.pool.query(`UPDATE "Job" SET "maxAttempts" = 1 WHERE "kind" = $1`, [BATCH_REMOVAL]);
    h.emulator.configure({ failNext: [{ status: 400, route: "GET /customers/{id}" }] });
    await h.app.runner.drain(BATCH_REMOVAL);
    expect(await memberOf(batchId, tenant)).toMatchObject({ outcome: "not_removed" });
    expect((await h.app.store.batches.get(batchId))?.state).toBe("done");
    expect(h.emulator.snapshot().customers.find((c) => c.id === tenant)?.relationshipToPartner).toBe("reseller");

    expect(await h.app.workflow.resumeInterruptedRemovals()).toBe(1);
    await h.app.slack.settle();
    expect(h.emulator.snapshot().customers.find((c) => c.id === tenant)?.relationshipToPartner).toBe("none");
    expect(await memberOf(batchId, tenant)).toMatchObject({ outcome: "removed", outcomeReason: null });
    const followed = (await h.app.store.audit.listByTenant(tenant)).filter((e) => e.action === "batch.customer_followed");
    expect(followed).toEqual([expect.objectContaining({ outcome: "ok", detail: expect.objectContaining({ batchId, from: "not_removed", outcome: "removed" }) })]);
    // the card and the requester follow: 1 removed, 0 not removed
    const card = (await h.app.store.batches.get(batchId))?.approvalMessage;
    const shown = h.slack.messages.find((m) => m.channel === APPROVAL_CHANNEL && m.ts === card?.ts);
    expect(shown?.text).toContain("1 removed, 0 suspended and removed, 0 not removed");
    const updates = h.slack.messages.filter((m) => (m.channel === APPROVER.id || m.channel === `D${APPROVER.id}`) && m.text.startsWith("Update on your batch removal request"));
    expect(updates.map((m) => m.text.includes("1 removed") && m.text.includes("Fourth Coffee"))).toEqual([true]);
  });

  test("a job tried again after it had suspended the subscriptions still reports them suspended", async () => {
    const tenant = DEMO_TENANTS.legacyOnly;
    const batchId = await approvedBatch(tenant);
    // the first try suspends and removes, then cannot record its outcome: it is tried again
    jest.spyOn(h.app.store.batches, "recordOutcome").mockRejectedValueOnce(new Error("the database went away"));
    await h.app.runner.drain(BATCH_REMOVAL);
    expect(h.emulator.snapshot().customers.find((c) => c.id === tenant)?.relationshipToPartner).toBe("none");
    expect((await memberOf(batchId, tenant))?.outcome).toBeNull();
    await h.app.db.pool.query(`UPDATE "Job" SET "runAfter" = "createdAt" WHERE "kind" = $1 AND "state" = 'queued'`, [BATCH_REMOVAL]);
    await h.app.runner.drain(BATCH_REMOVAL);
    expect(await memberOf(batchId, tenant)).toMatchObject({ outcome: "suspended_removed", outcomeReason: "3 legacy subscriptions suspended first" });
    expect((await memberOf(batchId, tenant))?.suspended).toHaveLength(3);
  });
});

describe("a try that stops between a suspension and its record", () => {
  let h: Harness;
  const world = scannedBatchWorld();
  beforeAll(() => (h = world()));
  const memberOf = (batchId: string, tenantId: string) => memberIn(h, batchId, tenantId);

  test("the next try records it, once, audited, and reports it suspended", async () => {
    const tenant = DEMO_TENANTS.legacyOnly;
    const requested = await h.app.workflow.requestBatch(APPROVER.id, [tenant], WHY);
    if (!requested.ok) throw new Error(requested.refusal.message);
    const batchId = requested.value.batch.id;
    expect((await h.app.workflow.approveBatch(SECOND_APPROVER.id, batchId, { endGdap: false })).ok).toBe(true);
    const suspendedCount = () => h.emulator.snapshot().customers.find((c) => c.id === tenant)?.subscriptions.filter((s) => s.status === "suspended").length ?? 0;
    const before = suspendedCount();
    // the first suspension lands in Partner Center, then its record fails: the try fails there
    jest.spyOn(h.app.store.batches, "noteSuspended").mockRejectedValueOnce(new Error("the database went away"));
    await h.app.runner.drain(BATCH_REMOVAL);
    expect(h.emulator.snapshot().customers.find((c) => c.id === tenant)?.relationshipToPartner).toBe("reseller");
    expect(suspendedCount()).toBe(before + 1);
    const member = await memberOf(batchId, tenant);
    expect(member?.suspending).toHaveLength(1);
    expect(member?.suspended).toHaveLength(0);
    expect((await h.app.store.audit.listByTenant(tenant)).filter((e) => e.action === "subscription.suspend" && e.detail.batchId === batchId)).toEqual([]);

    await h.app.db.pool.query(`UPDATE "Job" SET "runAfter" = "createdAt" WHERE "kind" = $1 AND "state" = 'queued'`, [BATCH_REMOVAL]);
    await h.app.runner.drain(BATCH_REMOVAL);
    expect(h.emulator.snapshot().customers.find((c) => c.id === tenant)?.relationshipToPartner).toBe("none");
    expect(await memberOf(batchId, tenant)).toMatchObject({ outcome: "suspended_removed", outcomeReason: "3 legacy subscriptions suspended first" });
    // each suspension audited once as it landed, the first one read back by the second try
    const suspensions = (await h.app.store.audit.listByTenant(tenant)).filter((e) => e.action === "subscription.suspend" && e.detail.batchId === batchId);
    expect(suspensions.map((e) => e.outcome)).toEqual(["ok", "ok", "ok"]);
    expect(new Set(suspensions.map((e) => e.detail.subscriptionId)).size).toBe(3);
    expect(suspensions.filter((e) => String(e.detail.readBack ?? "").includes("earlier try"))).toHaveLength(1);
  });
});

describe("approvers are reminded before a batch expires", () => {
  let h: Harness;
  const world = scannedBatchWorld();
  beforeAll(() => (h = world()));

  test("once, in the card's thread mentioning the approvers; the requester hears at expiry", async () => {
    const requested = await h.app.workflow.requestBatch(OPERATOR.id, [DEMO_TENANTS.clean, DEMO_TENANTS.expiredReservation], WHY);
    if (!requested.ok) throw new Error(requested.refusal.message);
    const batchId = requested.value.batch.id;
    const card = requested.value.batch.approvalMessage;
    const replies = () => h.slack.messages.filter((m) => m.channel === APPROVAL_CHANNEL && m.threadTs === card?.ts);

    // a day's window just begun: no reminder yet
    await h.app.workflow.remindDue();
    await h.app.slack.settle();
    expect(replies()).toHaveLength(0);

    // requested ten hours ago, half an hour left: within the last two hours
    await h.app.db.pool.query(`UPDATE "RemovalBatch" SET "requestedAt" = $2::timestamp(3), "expiresAt" = $3::timestamp(3) WHERE "id" = $1`, [batchId, new Date(Date.now() - 10 * 3_600_000).toISOString(), new Date(Date.now() + 30 * 60_000).toISOString()]);
    await h.app.workflow.remindDue();
    await h.app.workflow.remindDue();
    await h.app.slack.settle();
    expect(replies()).toHaveLength(1);
    expect(replies()[0]?.text).toContain(`<@${SECOND_APPROVER.id}>`);
    expect(replies()[0]?.text).toContain("batch removal of 2 customers");
    const reminded = await h.app.db.pool.query(`SELECT "actor", "detail" FROM "AuditEvent" WHERE "action" = 'batch.reminded'`);
    expect(reminded.rows).toEqual([expect.objectContaining({ actor: "system", detail: expect.objectContaining({ batchId }) })]);
    expect((await h.app.store.batches.get(batchId))?.remindedAt).toBeInstanceOf(Date);

    // the window passes: the batch and its cases expire, and the requester is told by DM
    await h.app.db.pool.query(`UPDATE "RemovalBatch" SET "expiresAt" = $2::timestamp(3) WHERE "id" = $1`, [batchId, new Date(Date.now() - 1000).toISOString()]);
    await h.app.db.pool.query(`UPDATE "RemovalCase" SET "expiresAt" = $2::timestamp(3) WHERE "batchId" = $1`, [batchId, new Date(Date.now() - 1000).toISOString()]);
    await h.app.workflow.expireDue();
    await h.app.slack.settle();
    expect((await h.app.store.batches.get(batchId))?.state).toBe("expired");
    const dms = h.slack.messages.filter((m) => m.channel === OPERATOR.id || m.channel === `D${OPERATOR.id}`);
    expect(dms.map((m) => m.text)).toEqual([expect.stringContaining("expired before anyone decided")]);
  });
});
