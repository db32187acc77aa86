// How often one button press reads the customer from Partner Center, counted by the emulator.
// A use case that already holds a fresh view hands it to the message update instead of having
// it read again: the read a change needs (its live check), then one read to show the result.
import { DEMO_TENANTS } from "../../src/stand-ins/partner-center/demo-partner";
import { ACTIONS } from "../../src/slack/slack-inputs";
import { type Harness, OPERATOR, OPS_CHANNEL, buttonsOf, startHarness, textOf, waitFor } from "../support/app-harness";
import { hasButton } from "../support/slack-steps";

let h: Harness;

beforeAll(async () => {
  h = await startHarness();
});
afterAll(async () => h.close());

/** customer reads: every snapshot of a customer starts with one (its subscriptions, reservations and purchases are read beside it) */
const customerReads = () => h.emulator.stats().byRoute["GET /customers/{id}"] ?? 0;
const subscriptionsOf = (tenantId: string) => h.emulator.snapshot().customers.find((c) => c.id === tenantId)?.subscriptions ?? [];

async function openCase(companyName: string) {
  await h.command(OPERATOR, companyName);
  const message = await waitFor(`case message for ${companyName}`, () => h.slack.messages.find((m) => m.channel === OPS_CHANNEL && m.text.includes(companyName)));
  await h.app.slack.settle();
  return message;
}

test("one Suspend press: the read its check needs and one read after the change", async () => {
  const tenant = DEMO_TENANTS.legacyOnly;
  const message = await openCase("Contoso Ltd");
  const before = customerReads();
  const updates = message.updates;
  await h.press(OPERATOR, message, ACTIONS.suspendSubscription);
  await waitFor("one subscription suspended", () => subscriptionsOf(tenant).some((s) => s.status === "suspended"));
  await waitFor("the case message updated", () => message.updates > updates);
  await h.app.slack.settle();
  expect(customerReads() - before).toBe(2);
  // the message shows the read after the change: one Suspend button fewer
  expect(buttonsOf(message.blocks).filter((b) => b.action_id === ACTIONS.suspendSubscription)).toHaveLength(2);
});

test("one Suspend all press: the read its check needs and one read when the job has finished", async () => {
  const tenant = DEMO_TENANTS.nceInsideWindow;
  const message = await openCase("Fabrikam Inc");
  const before = customerReads();
  await h.press(OPERATOR, message, ACTIONS.suspendAll);
  await waitFor("every subscription cleared", () => subscriptionsOf(tenant).every((s) => s.status !== "active"));
  await waitFor("the case message shows the finished job", () => textOf(message.blocks).includes("finished") && hasButton(message, ACTIONS.requestRemoval));
  await h.app.slack.settle();
  expect(customerReads() - before).toBe(2);
});
