// The live re-check after Approve fails (Partner Center answers 400): the case must not sit in
// `approved` with every button refusing. The Approve's job fails that attempt and is tried again
// after its backoff, which finds the approver's own approval standing and removes.
import { DEMO_TENANTS } from "../../src/stand-ins/partner-center/demo-partner";
import { ACTIONS } from "../../src/slack/slack-inputs";
import { hasButton, requestRemovalAndWait } from "../support/slack-steps";
import { APPROVER, type Harness, OPERATOR, OPS_CHANNEL, startHarness, waitFor } from "../support/app-harness";
import { describeDatabase } from "../support/test-database";

let h: Harness;

beforeAll(async () => {
  h = await startHarness();
});
afterAll(async () => h.close());

const removalCalls = () => h.emulator.requests().filter((r) => r.route === "PATCH /customers/{id}" && r.status < 300 && !r.replayed).length;

test(`a 400 on the re-check after Approve ends in a retried removal, not a stuck approved case (${describeDatabase()})`, async () => {
  const tenant = DEMO_TENANTS.clean;
  await waitFor("the directory synced", async () => (await h.app.directory.search("Fourth Coffee", 1)).length === 1);
  expect((await h.command(OPERATOR, "Fourth Coffee")).status).toBe(200);
  const message = await waitFor("case message", () => h.slack.messages.find((m) => m.channel === OPS_CHANNEL && m.text.includes("Fourth Coffee")));
  await waitFor("Request removal offered", () => hasButton(message, ACTIONS.requestRemoval));

  // how many Partner Center requests one read of this customer takes (a Re-check is one read)
  await h.app.slack.settle();
  const beforeRecheck = h.emulator.stats().total;
  await h.press(OPERATOR, message, ACTIONS.recheck);
  await h.app.slack.settle();
  const oneRead = h.emulator.stats().total - beforeRecheck;
  expect(oneRead).toBeGreaterThan(0);

  const approval = await requestRemovalAndWait(h, OPERATOR, message);
  await waitFor("Approve offered", () => hasButton(approval, ACTIONS.approve));
  await h.app.slack.settle();

  // Approve starts two reads at once, the re-check and the message refresh: both answered 400
  h.emulator.configure({ failNext: Array.from({ length: 2 * oneRead }, () => ({ status: 400 })) });
  expect((await h.press(APPROVER, approval, ACTIONS.approve)).status).toBe(200);
  await h.app.slack.settle();

  const c = await h.app.store.cases.findActiveByTenant(tenant);
  expect(c).toBeNull();
  const events = (await h.app.store.audit.listByTenant(tenant)).map((e) => `${e.action}:${e.outcome}`);
  expect(events).toEqual(expect.arrayContaining(["removal.approved:ok", "relationship.remove:failed", "relationship.removed:ok"]));
  expect(removalCalls()).toBe(1);
  expect(h.emulator.snapshot().customers.find((x) => x.id === tenant)?.relationshipToPartner).toBe("none");
  // the approver sees it in the case thread
  await waitFor("removed note in the case thread", () => h.slack.messages.find((m) => m.threadTs === message.ts && m.text.includes("is removed")));
});
