// A batch customer's case while its batch waits is decided only on the batch's card, driven as
// Slack drives it (signed requests into the Bolt receiver, the strict Slack stand-in): its own
// case message's Withdraw and a Home tab Approve for it are refused with a plain message pointing
// at the card, audited, and change nothing; the Home does not offer it; the card still decides it.
import { ACTIONS, END_GDAP_VALUE, GDAP_CHOICE_BLOCK, encodeValue, numbered, requestStamp } from "../../src/slack/slack-inputs";
import { APPROVAL_CHANNEL, APPROVER, type Harness, OPERATOR, OPS_CHANNEL, SECOND_APPROVER, startHarness, textOf, waitFor } from "../support/app-harness";
import { batchName, batchTenant, finishedScan, partnerWithBatchCustomers } from "../support/batch-world";

let h: Harness;

beforeAll(async () => {
  h = await startHarness({ emulatorOptions: { initialState: partnerWithBatchCustomers }, background: false });
  await finishedScan(h);
});
afterAll(async () => h.close());

const refusals = async (tenantId: string) => (await h.app.store.audit.listByTenant(tenantId, 100)).filter((e) => e.outcome === "refused" && e.detail.code === "batch_member");

test("a member's own Withdraw and a Home Approve refuse, pointing at the card; the card decides it", async () => {
  const tenant = batchTenant(0);
  const requested = await h.app.workflow.requestBatch(OPERATOR.id, [tenant, batchTenant(1)], "These customers moved to another partner");
  if (!requested.ok) throw new Error(requested.refusal.message);
  const batchId = requested.value.batch.id;
  const member = requested.value.members.find((m) => m.tenantId === tenant);
  const caseOf = () => h.app.store.cases.get(member?.caseId ?? "");

  // the requester opens the customer's case: it waits for approval and offers Withdraw, as any request does
  const before = h.slack.messages.length;
  expect((await h.command(OPERATOR, tenant)).status).toBe(200);
  const message = await waitFor("the member's case message", () => h.slack.messages.find((m, i) => i >= before && m.channel === OPS_CHANNEL && m.text.includes(batchName(0))));
  await h.app.slack.settle();
  const ephemerals = h.slack.ephemerals.length;
  await h.press(OPERATOR, message, ACTIONS.withdrawRequest);
  await h.app.slack.settle();
  const told = await waitFor("the refusal", () => h.slack.ephemerals.slice(ephemerals).find((e) => e.text.includes("batch")));
  expect(told.text).toContain("decided only on the batch's card");
  expect(told.text).toContain(`<#${APPROVAL_CHANNEL}>`);
  expect((await caseOf())?.state).toBe("awaiting_approval");

  // the Home tab does not offer it to approvers; an Approve for it (an older Home) is refused too
  await h.sender.appHomeOpened(SECOND_APPROVER);
  const home = await waitFor("the approver's Home", () => h.slack.homeViews.get(SECOND_APPROVER.id) as { blocks: unknown[] } | undefined);
  expect(textOf(home.blocks)).not.toContain(batchName(0));
  // it points the approver at the batch's card instead, once, with its size and reason
  const homeText = textOf(home.blocks);
  expect(homeText).toContain(`*A batch of 2 customers*: requested by <@${OPERATOR.id}>`);
  expect(homeText).toContain("*Why:* These customers moved to another partner");
  expect(homeText).toContain(`on its card in <#${APPROVAL_CHANNEL}>`);
  expect(homeText).not.toContain("Nothing is waiting for you.");
  // a batch an approver asked for is not listed as waiting for that approver (they cannot approve it), but is for another
  const own = await h.app.workflow.requestBatch(APPROVER.id, [batchTenant(2)], "Lapsed trial");
  if (!own.ok) throw new Error(own.refusal.message);
  const waitingFor = async (userId: string) => (await h.app.workflow.homeFor(userId)).batchesAwaitingMe.map((b) => [b.requestedBy, b.customers]);
  expect(await waitingFor(APPROVER.id)).toEqual([[OPERATOR.id, 2]]);
  expect(await waitingFor(SECOND_APPROVER.id)).toEqual(expect.arrayContaining([[OPERATOR.id, 2], [APPROVER.id, 1]]));
  expect(await waitingFor(OPERATOR.id)).toEqual([]);
  const c = await caseOf();
  const dms = h.slack.directMessages(SECOND_APPROVER.id).length;
  const ticked = { values: { [numbered(GDAP_CHOICE_BLOCK, 0)]: { [numbered(ACTIONS.endGdapChoice, 0)]: { type: "checkboxes", selected_options: [{ value: END_GDAP_VALUE }] } } } };
  await h.sender.homeBlockAction(SECOND_APPROVER, `VHOME${SECOND_APPROVER.id}`, { action_id: numbered(ACTIONS.approve, 0), value: encodeValue({ c: c?.id ?? "", r: requestStamp(c?.requestedAt ?? null) }) }, { state: ticked });
  const dm = await waitFor("the Home refusal by DM", () => h.slack.directMessages(SECOND_APPROVER.id)[dms]);
  expect(dm.text).toContain("decided only on the batch's card");
  await h.app.slack.settle();
  expect((await caseOf())?.state).toBe("awaiting_approval");
  expect(h.emulator.snapshot().customers.find((x) => x.id === tenant)?.relationshipToPartner).toBe("reseller");

  // each refusal audited with the batch it points at
  const audited = await refusals(tenant);
  expect(audited.map((e) => [e.action, e.actor])).toEqual(expect.arrayContaining([["removal.withdraw", OPERATOR.id], ["removal.approve", SECOND_APPROVER.id]]));
  expect(audited.every((e) => e.detail.batchId === batchId)).toBe(true);

  // the card decides it
  const card = requested.value.batch.approvalMessage;
  if (!card) throw new Error("no card");
  await h.press(SECOND_APPROVER, { channel: card.channelId, ts: card.ts }, ACTIONS.approveBatch);
  await h.app.slack.settle();
  expect((await caseOf())?.state).toBe("approved");
}, 60_000);
