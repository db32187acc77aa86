// The approval card is posted a moment before its request is saved (a saved request always reached
// the approvers). An approver who presses in that moment must get the removal, not a refusal
// saying the case is open: the decision waits for the save it knows is on its way.
import { DEMO_TENANTS } from "../../src/stand-ins/partner-center/demo-partner";
import type { RemovalCase } from "../../src/domain";
import { ACTIONS } from "../../src/slack/slack-inputs";
import { APPROVAL_CHANNEL, APPROVER, type Harness, OPERATOR, startHarness, waitFor } from "../support/app-harness";
import { hasButton, openCase, requestRemoval } from "../support/slack-steps";

let h: Harness;

beforeAll(async () => {
  h = await startHarness();
});
afterAll(async () => h.close());

/** Holds the request's save (open → awaiting approval) until released. */
function holdRequestSaves(): { release: () => void; held: () => boolean } {
  const cases = h.app.store.cases;
  const original = cases.saveTransition.bind(cases);
  let release = () => undefined as void;
  const gate = new Promise<void>((resolve) => (release = resolve));
  let held = false;
  cases.saveTransition = async (next: RemovalCase, ...rest) => {
    if (next.state === "awaiting_approval") {
      held = true;
      await gate;
    }
    return original(next, ...rest);
  };
  return { release: () => release(), held: () => held };
}

/** The approve press's job, claimed by the runner and at work (its ack came long before). */
async function approveJobRunning(): Promise<boolean> {
  const running = await h.app.db.prisma.job.findMany({ where: { kind: "slack_interaction", state: "running" } });
  return running.some((job) => JSON.stringify(job.payload).includes(`"actionId":"${ACTIONS.approve}"`));
}

test("Approve pressed before the request is saved waits for the save and removes", async () => {
  const tenant = DEMO_TENANTS.clean;
  const message = await openCase(h, "Fourth Coffee");
  await waitFor("Request removal button", () => hasButton(message, ACTIONS.requestRemoval));
  const save = holdRequestSaves();
  const before = h.slack.channelMessages(APPROVAL_CHANNEL).length;
  await requestRemoval(h, OPERATOR, message);
  const approval = await waitFor("the approval card, posted before the save", () => h.slack.channelMessages(APPROVAL_CHANNEL)[before]);
  await waitFor("the request's save held", () => save.held());
  expect((await h.app.store.cases.findActiveByTenant(tenant))?.state).toBe("open");

  const ephemerals = h.slack.ephemerals.filter((e) => e.user === APPROVER.id).length;
  try {
    expect((await h.press(APPROVER, approval, ACTIONS.approve)).status).toBe(200);
    await waitFor("the approve job at work while the request is unsaved", () => approveJobRunning());
  } finally {
    // released whatever happened, so a failure does not leave the request's job hanging
    save.release();
  }

  await waitFor("relationship removed", () => h.emulator.snapshot().customers.find((c) => c.id === tenant)?.relationshipToPartner === "none");
  await h.app.slack.settle();
  // the approver was not told the case is open, and nobody was refused
  expect(h.slack.ephemerals.filter((e) => e.user === APPROVER.id).slice(ephemerals).map((e) => e.text)).toEqual([]);
  const events = await h.app.store.audit.listByTenant(tenant);
  expect(events.filter((e) => e.outcome === "refused")).toEqual([]);
  expect(events.map((e) => e.action)).toEqual(expect.arrayContaining(["removal.requested", "removal.approved", "relationship.removed"]));
});
