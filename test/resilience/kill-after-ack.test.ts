// SIGKILL right after Slack got its 200, while the work behind it is still under way (Partner
// Center answers slowly): the request was a durable job before the ack, so the restarted process
// takes it over once the dead one's lease runs out and carries it out once; the person sees the
// result. A Suspend press, Request removal and Approve, one after the other on the same database.
import { DEMO_TENANTS } from "../../src/stand-ins/partner-center/demo-partner";
import { type EmulatorHandle, startEmulator } from "../../src/stand-ins/partner-center";
import { ACTIONS, JUSTIFICATION_BLOCK, JUSTIFICATION_INPUT } from "../../src/slack/slack-inputs";
import { JUSTIFICATION, submitModal } from "../support/slack-steps";
import { APPROVAL_CHANNEL, APPROVER, OPERATOR, OPS_CHANNEL, textOf, waitFor } from "../support/app-harness";
import { type ProcessWorld, buttonsWith, createProcessWorld, openCaseMessage, pressThenKill, withLogsOnFailure } from "../support/app-process";
import { appliedChanges } from "../support/suspension-counts";
import { describeDatabase } from "../support/test-database";

// a short lease, so the restarted process takes the dead one's jobs over within seconds
const ENV = { JOB_LEASE_SECONDS: "2" };
// long enough that the kill lands while the press's first Partner Center read is still waiting
const SLOW_MS = 4_000;

let world: ProcessWorld;
let emulator: EmulatorHandle;

beforeAll(async () => {
  world = await createProcessWorld();
  emulator = await startEmulator({ port: 0 });
});
afterAll(async () => {
  await world.close();
  await emulator.close();
});

// four process starts (each compiles the sources with tsx) take over a minute on a loaded 2-core machine
test(`SIGKILL right after the 200 for a Suspend press, Request removal and Approve: the restart does each once (${describeDatabase()})`, async () => {
  // Suspend one subscription
  const first = await world.start(emulator.url, ENV);
  const contoso = await openCaseMessage(world, first, "Contoso Ltd");
  expect(buttonsWith(contoso, ACTIONS.suspendSubscription)).toHaveLength(3);
  await pressThenKill(world, emulator, { app: first, user: OPERATOR, message: contoso, actionId: ACTIONS.suspendSubscription, slowMs: SLOW_MS });
  expect(appliedChanges(emulator, DEMO_TENANTS.legacyOnly).size).toBe(0);

  const second = await world.start(emulator.url, ENV);
  await withLogsOnFailure(second, waitFor("the press carried out", () => appliedChanges(emulator, DEMO_TENANTS.legacyOnly).size === 1, 30_000));
  await withLogsOnFailure(second, waitFor("the case message shows it", () => buttonsWith(contoso, ACTIONS.suspendSubscription).length === 2, 30_000));
  expect([...appliedChanges(emulator, DEMO_TENANTS.legacyOnly).values()]).toEqual([1]);

  // Request removal
  const fourthCoffee = await openCaseMessage(world, second, "Fourth Coffee");
  await waitFor("Request removal offered", () => buttonsWith(fourthCoffee, ACTIONS.requestRemoval).length === 1, 30_000);
  // the modal opens at once; its submission is the request, and the kill lands right after its 200
  const modals = world.slack.openModals.length;
  await second.sender.blockAction(OPERATOR, OPS_CHANNEL, fourthCoffee.ts, { action_id: ACTIONS.requestRemoval, value: buttonsWith(fourthCoffee, ACTIONS.requestRemoval)[0]?.value ?? "" }, world.responseUrl(OPS_CHANNEL, OPERATOR.id));
  const modal = await withLogsOnFailure(second, waitFor("the request modal", () => world.slack.openModals[modals], 30_000));
  emulator.configure({ latencyMs: SLOW_MS });
  expect((await submitModal({ sender: second.sender }, OPERATOR, modal, JUSTIFICATION_BLOCK, JUSTIFICATION_INPUT, JUSTIFICATION)).status).toBe(200);
  expect((await second.stop("SIGKILL")).signal).toBe("SIGKILL");
  emulator.configure({ latencyMs: 0 });
  const approvalRequests = () => world.slack.messages.filter((m) => m.channel === APPROVAL_CHANNEL && m.text.includes("Fourth Coffee"));
  expect(approvalRequests()).toHaveLength(0);

  const third = await world.start(emulator.url, ENV);
  const approval = await withLogsOnFailure(third, waitFor("the approval request posted", () => approvalRequests()[0], 30_000));
  await waitFor("Approve offered", () => buttonsWith(approval, ACTIONS.approve).length === 1, 30_000);
  // the card is posted before the request is saved (a request either reached the approvers or did
  // not happen): an Approve pressed in between is rightly refused, so press once the case says it waits
  await waitFor("the case awaiting approval", () => buttonsWith(fourthCoffee, ACTIONS.withdrawRequest).length === 1, 30_000);

  // Approve (it removes at once)
  await pressThenKill(world, emulator, { app: third, user: APPROVER, message: approval, actionId: ACTIONS.approve, slowMs: SLOW_MS });
  const removals = () => emulator.requests().filter((r) => r.route === "PATCH /customers/{id}" && r.status < 300 && !r.replayed).length;
  expect(removals()).toBe(0);

  const fourth = await world.start(emulator.url, ENV);
  const removedNote = () => world.slack.messages.filter((m) => m.channel === OPS_CHANNEL && m.threadTs === fourthCoffee.ts && m.text.includes("is removed"));
  await withLogsOnFailure(fourth, waitFor("the approver's press answered in the case thread", () => removedNote().length === 1, 30_000));
  await waitFor("the approval message final", () => textOf(approval.blocks).includes("Removed.") && buttonsWith(approval, ACTIONS.approve).length === 0, 30_000);
  expect(removals()).toBe(1);
  expect(approvalRequests()).toHaveLength(1);
  await fourth.stop("SIGTERM");
  expect(removedNote()).toHaveLength(1);
}, 240_000);
