// The batch card's "Also end GDAP relationships" box, driven as Slack drives it (signed presses on
// the card in the strict Slack stand-in): a press that carries no choice is refused and approves
// nothing; ticked, each removed customer's GDAP relationships are ended as a single case's are
// (after Partner Center confirms its removal, read back from the Graph stand-in); unticked, they
// are kept and Graph sees no write.
import { DEMO_TENANTS } from "../../src/stand-ins/partner-center/demo-partner";
import { BATCH_REMOVAL, GDAP_ENDING } from "../../src/store";
import { ACTIONS, GDAP_CHOICE_BLOCK } from "../../src/slack/slack-inputs";
import { APPROVAL_CHANNEL, type Harness, OPERATOR, SECOND_APPROVER, buttonsOf, startHarness, textOf, waitFor } from "../support/app-harness";
import { batchTenant, finishedScan, partnerWithBatchCustomers } from "../support/batch-world";

let h: Harness;

beforeAll(async () => {
  h = await startHarness({ emulatorOptions: { initialState: partnerWithBatchCustomers }, background: false, graphOptions: { terminationMs: 50 } });
  await finishedScan(h);
});
afterAll(async () => h.close());

const relationshipOf = (tenantId: string) => h.emulator.snapshot().customers.find((c) => c.id === tenantId)?.relationshipToPartner;
const graphWrites = (tenantId: string) => {
  const ids = new Set(h.graph.relationships(tenantId).map((r) => r.id));
  return h.graph.requests().filter((r) => r.relationshipId && ids.has(r.relationshipId) && (r.method === "POST" || r.method === "DELETE"));
};

async function batchCard(tenants: string[]) {
  const before = h.slack.channelMessages(APPROVAL_CHANNEL).length;
  const requested = await h.app.workflow.requestBatch(OPERATOR.id, tenants, "These customers moved to another partner");
  if (!requested.ok) throw new Error(requested.refusal.message);
  const card = await waitFor("the batch card", () => h.slack.channelMessages(APPROVAL_CHANNEL)[before]);
  return { batchId: requested.value.batch.id, card };
}

async function removeAndEnd(): Promise<void> {
  await h.app.runner.drain(BATCH_REMOVAL);
  await h.app.runner.drain(GDAP_ENDING);
  await h.app.slack.settle();
}

test("ticked (as drawn): each removed customer's GDAP relationships are ended; a press with no choice is refused first", async () => {
  const tenant = DEMO_TENANTS.clean; // Fourth Coffee: two active, one terminated, one never sent
  const live = h.graph.relationships(tenant);
  const toEnd = live.filter((r) => ["active", "approvalPending", "approved", "activating", "created"].includes(r.status));
  expect(toEnd.length).toBeGreaterThan(0);
  const { batchId, card } = await batchCard([tenant]);

  // the card carries the same box as a single approval, ticked to begin with, and says what it does
  const box = (card.blocks as Array<{ block_id?: string; elements?: Array<{ type: string; initial_options?: unknown[] }> }>).find((b) => b.block_id === GDAP_CHOICE_BLOCK);
  expect(box?.elements?.[0]).toMatchObject({ type: "checkboxes" });
  expect(box?.elements?.[0]?.initial_options).toHaveLength(1);
  expect(textOf(card.blocks)).toContain("each removed customer's are ended once Partner Center confirms its removal");
  expect(textOf(card.blocks)).not.toContain("not ended by a batch");
  // and it names what the box would touch for each customer, as the scan read it
  const ended = live.length - toEnd.length;
  expect(textOf(card.blocks)).toContain(`GDAP relationships at the scan: ${toEnd.length} to end${ended > 0 ? `, ${ended} ended or ending` : ""}`);

  // a press that carries no choice (a card drawn before the box existed): refused, audited, nothing approved
  const approve = buttonsOf(card.blocks).find((b) => b.action_id === ACTIONS.approveBatch);
  await h.sender.blockAction(SECOND_APPROVER, APPROVAL_CHANNEL, card.ts, { action_id: String(approve?.id), value: String(approve?.value) }, h.world.responseUrl(APPROVAL_CHANNEL, SECOND_APPROVER.id));
  await h.app.slack.settle();
  expect(h.slack.ephemerals.at(-1)?.text).toContain("say whether to end the customers' GDAP relationships too");
  expect((await h.app.store.batches.get(batchId))?.state).toBe("awaiting_approval");
  const refused = await h.app.db.pool.query(`SELECT "detail" FROM "AuditEvent" WHERE "action" = 'batch.approve' AND "outcome" = 'refused'`);
  expect(refused.rows).toEqual([expect.objectContaining({ detail: expect.objectContaining({ batchId, batchCode: "gdap_choice_required" }) })]);

  // pressed as Slack sends it, the box as drawn (ticked)
  await h.press(SECOND_APPROVER, card, ACTIONS.approveBatch);
  await h.app.slack.settle();
  expect((await h.app.store.batches.get(batchId))?.endGdap).toBe(true);
  // nothing of GDAP is touched before Partner Center confirms the removal
  expect(graphWrites(tenant)).toHaveLength(0);
  await removeAndEnd();
  expect(relationshipOf(tenant)).toBe("none");
  for (const r of toEnd) {
    const now = h.graph.relationships(tenant).find((x) => x.id === r.id);
    if (r.status === "created") expect(now).toBeUndefined();
    else expect(["terminationRequested", "terminated"]).toContain(now?.status);
  }
  // the audit trail: the choice, then Partner Center's removal, then Graph's listing and each final status
  const actions = (await h.app.store.audit.listByTenant(tenant, 200)).map((e) => e.action);
  for (const action of ["gdap.ending_held", "gdap.listed", "gdap.final_status", "gdap.ending_finished"]) expect(actions).toContain(action);
  expect(actions.indexOf("gdap.ending_held")).toBeLessThan(actions.indexOf("relationship.removed"));
  expect(actions.indexOf("relationship.removed")).toBeLessThan(actions.indexOf("gdap.listed"));
  const updated = h.slack.messages.find((m) => m.channel === APPROVAL_CHANNEL && m.ts === card.ts);
  expect(updated?.text).toContain("1 removed");
  expect(textOf(updated?.blocks ?? [])).toContain("GDAP relationships: ended for each customer");
  // once decided the card tells outcomes, not the scan's reading
  expect(textOf(updated?.blocks ?? [])).not.toContain("at the scan");
}, 60_000);

test("unticked: removed, and the customer's GDAP relationships are kept", async () => {
  const tenant = batchTenant(3);
  const template = h.graph.relationships(DEMO_TENANTS.legacyOnly).find((r) => r.status === "active");
  if (!template) throw new Error("no active demo relationship to copy");
  h.graph.add({ ...template, id: "batch-kept-relationship", displayName: "Batch Customer 03 managed services", customer: { tenantId: tenant, displayName: "Batch Customer 03" }, requests: [] });
  const { batchId, card } = await batchCard([tenant]);
  await h.press(SECOND_APPROVER, card, ACTIONS.approveBatch, undefined, { [ACTIONS.endGdapChoice]: false });
  await h.app.slack.settle();
  expect((await h.app.store.batches.get(batchId))?.endGdap).toBe(false);
  await removeAndEnd();
  expect(relationshipOf(tenant)).toBe("none");
  expect(h.graph.relationships(tenant).find((r) => r.id === "batch-kept-relationship")?.status).toBe("active");
  expect(graphWrites(tenant)).toHaveLength(0);
  const actions = (await h.app.store.audit.listByTenant(tenant, 100)).map((e) => e.action);
  expect(actions).toContain("gdap.kept");
  expect(actions).not.toContain("gdap.ending_held");
}, 60_000);
