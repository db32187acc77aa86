// Issue #17's batch request, driven as Slack drives it (signed requests into the Bolt receiver,
// the strict Slack stand-in): 20 ready customers are requested from the scan's result, the
// requester cannot approve, another approver does, one customer becomes blocked in the emulator
// between the approval and the work, and 19 are removed (read back from the emulator) while the
// one is reported, its case reopened.
import { BATCH_REMOVAL } from "../../src/store";
import { ACTIONS, BATCH_CUSTOMERS_BLOCK, BATCH_CUSTOMERS_INPUT, JUSTIFICATION_BLOCK, JUSTIFICATION_INPUT } from "../../src/slack/slack-inputs";
import { APPROVAL_CHANNEL, APPROVER, type Harness, OPS_CHANNEL, SECOND_APPROVER, buttonsOf, startHarness, textOf, waitFor } from "../support/app-harness";
import { BATCH_SIZE, batchName, batchTenant, finishedScan, partnerWithBatchCustomers, reactivate } from "../support/batch-world";
import { JUSTIFICATION, nextModal } from "../support/slack-steps";

let h: Harness;

beforeAll(async () => {
  h = await startHarness({ emulatorOptions: { initialState: partnerWithBatchCustomers }, background: false });
});
afterAll(async () => h.close());

const BLOCKED = 7;
/** an approver who also operates asks; the four-eyes rule stops them approving their own batch */
const REQUESTER = APPROVER;

test("a batch of 20: the requester cannot approve, another approver does, 19 are removed and the one blocked meanwhile is reported", async () => {
  await finishedScan(h);
  const result = h.slack.channelMessages(OPS_CHANNEL).find((m) => m.text.startsWith("Portfolio scan finished"));
  if (!result) throw new Error("no scan result");
  expect(buttonsOf(result.blocks).some((b) => b.action_id === ACTIONS.requestBatch)).toBe(true);

  // the modal opens in the press's turn, and the scan's candidates are filled in after
  const modals = h.slack.openModals.length;
  await h.press(REQUESTER, result, ACTIONS.requestBatch);
  const modal = await nextModal(h, REQUESTER, modals);
  await waitFor("the candidates", () => modal.view.callback_id === "batch_request");
  const offered = textOf(modal.view.blocks as unknown[]);
  for (let i = 0; i < BATCH_SIZE; i += 1) expect(offered).toContain(batchName(i));
  expect(offered).toContain("Contoso Ltd"); // suspend-only, offered in its own group
  expect(offered).not.toContain("Adventure Works Cycles"); // blocked

  const before = h.slack.channelMessages(APPROVAL_CHANNEL).length;
  const selected = Array.from({ length: BATCH_SIZE }, (_, i) => ({ value: batchTenant(i) }));
  const answer = await h.sender.viewSubmission(REQUESTER, {
    id: modal.id,
    callback_id: "batch_request",
    private_metadata: String(modal.view.private_metadata),
    values: {
      [BATCH_CUSTOMERS_BLOCK]: { [BATCH_CUSTOMERS_INPUT]: { type: "multi_static_select", selected_options: selected } },
      [JUSTIFICATION_BLOCK]: { [JUSTIFICATION_INPUT]: { type: "plain_text_input", value: JUSTIFICATION } },
    },
  });
  expect(answer.status).toBe(200);
  expect(answer.body).not.toContain("errors");
  const card = await waitFor("the batch card", () => h.slack.channelMessages(APPROVAL_CHANNEL)[before]);
  await h.app.slack.settle();
  expect(card.blocks.length).toBeLessThanOrEqual(50);
  for (let i = 0; i < BATCH_SIZE; i += 1) expect(textOf(card.blocks)).toContain(batchName(i));
  const approve = buttonsOf(card.blocks).find((b) => b.action_id === ACTIONS.approveBatch);
  expect(approve?.confirm).toBeDefined();

  // four eyes: the requester's press is refused and audited, nothing moves
  await h.press(REQUESTER, card, ACTIONS.approveBatch);
  await h.app.slack.settle();
  expect(h.slack.ephemerals.at(-1)?.text).toContain("someone else has to approve");
  const refusal = await h.app.db.pool.query(`SELECT "actor" FROM "AuditEvent" WHERE "action" = 'batch.approve' AND "outcome" = 'refused'`);
  expect(refusal.rows).toEqual([{ actor: REQUESTER.id }]);

  await h.press(SECOND_APPROVER, card, ACTIONS.approveBatch);
  await h.app.slack.settle();
  // approved: every case approved and one job per customer saved together, none worked yet
  const jobs = await h.app.db.pool.query(`SELECT count(*)::int AS n FROM "Job" WHERE "kind" = $1 AND "state" = 'queued'`, [BATCH_REMOVAL]);
  expect(jobs.rows[0]?.n).toBe(BATCH_SIZE);
  const cases = await Promise.all(Array.from({ length: BATCH_SIZE }, (_, i) => h.app.store.cases.findActiveByTenant(batchTenant(i))));
  expect(cases.map((c) => c?.state)).toEqual(Array(BATCH_SIZE).fill("approved"));

  // between the approval and the work, one customer's legacy subscription is active again
  await reactivate(h, batchTenant(BLOCKED));
  await h.app.runner.drain(BATCH_REMOVAL);
  await h.app.slack.settle();

  const world = h.emulator.snapshot().customers;
  const relationship = (i: number) => world.find((c) => c.id === batchTenant(i))?.relationshipToPartner;
  const removed = Array.from({ length: BATCH_SIZE }, (_, i) => i).filter((i) => relationship(i) === "none");
  expect(removed).toHaveLength(BATCH_SIZE - 1);
  expect(relationship(BLOCKED)).toBe("reseller");
  // the blocked one was not suspended behind the approver's back: its approval covered removal only
  expect(world.find((c) => c.id === batchTenant(BLOCKED))?.subscriptions[0]?.status).toBe("active");
  const reopened = await h.app.store.cases.findActiveByTenant(batchTenant(BLOCKED));
  expect(reopened?.state).toBe("open");

  const batch = await h.app.store.batches.get(reopened?.batchId ?? "");
  expect(batch?.state).toBe("done");
  const cardText = textOf(card.blocks);
  expect(cardText).toContain("19 removed, 0 suspended and removed, 1 not removed");
  expect(buttonsOf(card.blocks).some((b) => b.action_id === ACTIONS.approveBatch)).toBe(false);
  const dm = h.slack.messages.filter((m) => m.channel === REQUESTER.id || m.channel === `D${REQUESTER.id}`).map((m) => m.text).join("\n");
  expect(dm).toMatch(new RegExp(`${batchName(BLOCKED)}.*not removed.*blocked again`));

  // audited per customer, and the batch as a whole
  const audit = await h.app.db.pool.query<{ action: string; n: number }>(
    `SELECT "action", count(*)::int AS n FROM "AuditEvent" WHERE "outcome" <> 'failed' AND "action" IN ('removal.requested', 'removal.approved', 'relationship.removed', 'removal.reopened', 'batch.requested', 'batch.approved', 'batch.finished') GROUP BY "action" ORDER BY "action"`,
  );
  expect(Object.fromEntries(audit.rows.map((r) => [r.action, r.n]))).toEqual({
    "batch.approved": 1,
    "batch.finished": 1,
    "batch.requested": 1,
    "relationship.removed": BATCH_SIZE - 1,
    "removal.approved": BATCH_SIZE,
    "removal.reopened": 1,
    "removal.requested": BATCH_SIZE,
  });
}, 120_000);
