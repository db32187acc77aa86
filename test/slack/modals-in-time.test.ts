// Modals open in time: the press's trigger_id lives 3 s and opens one view, so a modal is opened
// first thing in the listener, ahead of the work queue; whether the person may go on is checked
// after and said in the modal, and a submission's checks answer in the modal itself.
import { DEMO_TENANTS } from "../../src/stand-ins/partner-center/demo-partner";
import { ACTIONS, REJECT_REASON_BLOCK, REJECT_REASON_INPUT } from "../../src/slack/slack-inputs";
import { APPROVAL_CHANNEL, APPROVER, BYSTANDER, type Harness, OPERATOR, OPS_CHANNEL, SECOND_APPROVER, buttonsOf, startHarness, textOf, waitFor } from "../support/app-harness";
import { hasButton, nextModal, requestRemovalAndWait, submitModal } from "../support/slack-steps";

let h: Harness;

beforeAll(async () => {
  h = await startHarness();
});
afterAll(async () => h.close());


async function awaitingApproval(companyName: string) {
  await h.command(OPERATOR, companyName);
  const message = await waitFor(`case message for ${companyName}`, () => h.slack.channelMessages(OPS_CHANNEL).find((m) => m.text.includes(companyName)));
  if (hasButton(message, ACTIONS.suspendAll)) await h.press(OPERATOR, message, ACTIONS.suspendAll);
  await waitFor("Request removal offered", () => hasButton(message, ACTIONS.requestRemoval), 30_000);
  return { message, approval: await requestRemovalAndWait(h, OPERATOR, message) };
}

test("the reject modal opens with 8 slow presses queued ahead of it", async () => {
  const { message, approval } = await awaitingApproval("Fourth Coffee");
  // every Partner Center read now takes 1.5 s: 8 Re-checks keep the 4 workers busy for 3 s and more
  h.emulator.configure({ latencyMs: 1_500 });
  try {
    const updates = message.updates;
    await Promise.all(Array.from({ length: 8 }, () => h.press(OPERATOR, message, ACTIONS.recheck)));
    const modals = h.slack.openModals.length;
    expect((await h.press(APPROVER, approval, ACTIONS.reject)).status).toBe(200);
    const modal = await nextModal(h, APPROVER, modals);
    expect(modal.view.callback_id).toBe("reject_reason");
    // it opened while the Re-checks were still being worked, and Slack took the trigger
    expect(message.updates - updates).toBeLessThan(8);
    expect(h.slack.refusals.filter((c) => c.method === "views.open")).toHaveLength(0);
    await h.app.slack.settle();
  } finally {
    h.emulator.configure({ latencyMs: 0 });
  }
});

test("a rejection refused after the modal opened (someone approved meanwhile) is said in the modal", async () => {
  const { approval } = await awaitingApproval("Proseware Inc");
  const modals = h.slack.openModals.length;
  await h.press(SECOND_APPROVER, approval, ACTIONS.reject);
  const modal = await nextModal(h, SECOND_APPROVER, modals);
  await h.press(APPROVER, approval, ACTIONS.approve);
  await waitFor("removed", () => textOf(approval.blocks).includes("Removed."));
  const answer = await submitModal(h, SECOND_APPROVER, modal, REJECT_REASON_BLOCK, REJECT_REASON_INPUT, "Wrong customer");
  expect(answer.status).toBe(200);
  const body = JSON.parse(answer.body) as { response_action: string; errors: Record<string, string> };
  expect(body.response_action).toBe("errors");
  expect(body.errors[REJECT_REASON_BLOCK]).toContain("already approved");
  const rejected = (await h.app.store.audit.listByTenant(DEMO_TENANTS.ordinaryProseware)).find((e) => e.action === "removal.reject" && e.outcome === "refused");
  expect(rejected?.actor).toBe(SECOND_APPROVER.id);
});

test("a 100 KB reason is refused in the modal without being echoed, and changes nothing", async () => {
  const { approval } = await awaitingApproval("Coho Winery");
  const modals = h.slack.openModals.length;
  await h.press(APPROVER, approval, ACTIONS.reject);
  const modal = await nextModal(h, APPROVER, modals);
  const answer = await submitModal(h, APPROVER, modal, REJECT_REASON_BLOCK, REJECT_REASON_INPUT, "x".repeat(100_000));
  expect(JSON.parse(answer.body)).toMatchObject({ response_action: "errors", errors: { [REJECT_REASON_BLOCK]: "Please keep the reason under 500 characters." } });
  expect(answer.body.length).toBeLessThan(500);
  expect((await h.app.store.cases.findActiveByTenant(DEMO_TENANTS.ordinaryCoho))?.state).toBe("awaiting_approval");
});

test("Request removal by someone who may not: the modal opens, then says why, with nothing to submit", async () => {
  const before = h.slack.messages.length;
  await h.command(OPERATOR, "Trey Research");
  const message = await waitFor("case message", () => h.slack.messages.slice(before).find((m) => m.text.includes("Trey Research")));
  await h.press(OPERATOR, message, ACTIONS.suspendAll);
  await waitFor("Request removal offered", () => hasButton(message, ACTIONS.requestRemoval), 30_000);
  const modals = h.slack.openModals.length;
  await h.press(BYSTANDER, message, ACTIONS.requestRemoval);
  const modal = await nextModal(h, BYSTANDER, modals);
  await waitFor("the modal says why not", () => textOf(modal.view.blocks as unknown[]).includes("Only offboarding operators") && modal.view.submit === undefined);
  expect((await h.app.store.cases.findActiveByTenant(DEMO_TENANTS.ordinaryTrey))?.state).toBe("open");
});

test("a press whose trigger Slack let expire: no modal, and the person is asked to press again", async () => {
  const { approval } = await awaitingApproval("Alpine Ski House");
  const before = h.slack.ephemerals.filter((e) => e.user === APPROVER.id).length;
  const reject = buttonsOf(approval.blocks).find((b) => b.action_id === ACTIONS.reject);
  const stale = h.slack.issueTrigger(APPROVER.id, { ageMs: 4_000 });
  await h.sender.blockAction(APPROVER, APPROVAL_CHANNEL, approval.ts, { action_id: String(reject?.id), value: String(reject?.value) }, h.slack.createResponseUrl(h.slackUrl, APPROVAL_CHANNEL, APPROVER.id), { triggerId: stale });
  const told = await waitFor("told to press again", () => h.slack.ephemerals.filter((e) => e.user === APPROVER.id)[before]);
  expect(told.text).toContain("press the button again");
  expect(h.slack.refusals.map((c) => c.error)).toContain("expired_trigger_id");
});
