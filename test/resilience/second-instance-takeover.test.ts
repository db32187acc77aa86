// Two app instances on one PostgreSQL schema, as in a rolling deploy or a scaled-out service:
// one is SIGKILLed right after Slack got its 200 for a press, while the work behind it is still
// under way; the other instance, running all along, takes the job over once the dead one's lease
// runs out and carries it out exactly once, and the person sees the result. PGlite is one
// process's database, so this runs on PostgreSQL only (`npm run test:postgres`).
import { DEMO_TENANTS } from "../../src/stand-ins/partner-center/demo-partner";
import { type EmulatorHandle, startEmulator } from "../../src/stand-ins/partner-center";
import { ACTIONS, JUSTIFICATION_BLOCK, JUSTIFICATION_INPUT } from "../../src/slack/slack-inputs";
import { messageState } from "../../src/stand-ins/slack/slack-request-signer";
import { APPROVAL_CHANNEL, APPROVER, OPERATOR, OPS_CHANNEL, buttonsOf, textOf, waitFor } from "../support/app-harness";
import { type AppProcess, type ProcessWorld, createProcessWorld, parseLine, withLogsOnFailure } from "../support/app-process";
import { appliedChanges } from "../support/suspension-counts";
import { JUSTIFICATION, submitModal } from "../support/slack-steps";

// a short lease, so the surviving instance takes the dead one's jobs over within seconds
const ENV = { JOB_LEASE_SECONDS: "2" };
// long enough that the kill lands while the press's first Partner Center read is still waiting
const SLOW_MS = 4_000;

type Message = { channel: string; ts: string; blocks: unknown[]; text: string; threadTs?: string | undefined };

// Two app processes cannot share the embedded PGlite (it admits one process by design), so this
// runs only where a server database is given: `npm run test:postgres` and `.ci/run`.
const onPostgres = process.env.DATABASE_URL ? describe : describe.skip;

onPostgres("a second instance on the same PostgreSQL schema", () => {
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

  const buttons = (message: Message, actionId: string) => buttonsOf(message.blocks).filter((b) => b.action_id === actionId);

  async function caseMessage(app: AppProcess, companyName: string): Promise<Message> {
    // the first directory sync may still be running: ask again until the case message appears
    return waitFor(
      `case message for ${companyName}`,
      async () => {
        const found = world.slack.messages.find((m) => m.channel === OPS_CHANNEL && m.text.includes(companyName));
        if (found) return found;
        await app.sender.slashCommand(OPERATOR, OPS_CHANNEL, companyName, world.responseUrl(OPS_CHANNEL, OPERATOR.id));
        await new Promise((resolve) => setTimeout(resolve, 300));
        return undefined;
      },
      30_000,
    );
  }

  /** Presses on `app` with Partner Center slow, and kills it as soon as Slack has its 200; returns the press's trigger_id. */
  async function pressThenKill(app: AppProcess, user: typeof OPERATOR, message: Message, actionId: string): Promise<string> {
    const value = buttons(message, actionId)[0]?.value;
    if (!value) throw new Error(`no ${actionId} button`);
    const triggerId = `${Date.now()}.${actionId}.killed`;
    emulator.configure({ latencyMs: SLOW_MS });
    // the message's boxes as shown travel with the press, as Slack sends them (an approval's GDAP choice)
    const pressed = await app.sender.blockAction(user, message.channel, message.ts, { action_id: actionId, value }, world.responseUrl(message.channel, user.id), { triggerId, state: messageState(message.blocks) });
    expect(pressed.status).toBe(200);
    expect((await app.stop("SIGKILL")).signal).toBe("SIGKILL");
    emulator.configure({ latencyMs: 0 });
    return triggerId;
  }

  /** how many times `app` finished the job of the press with this trigger_id */
  const worked = (app: AppProcess, triggerId: string) => app.logs.map(parseLine).filter((line) => line?.["msg"] === "job worked" && line["slackRequestId"] === triggerId).length;

  test("a Suspend press and an Approve, each SIGKILLed after its 200, are carried out once by the instance still running", async () => {
    const survivor = await world.start(emulator.url, ENV);
    const doomed = await world.start(emulator.url, ENV);

    // Suspend one subscription, pressed on the instance that dies
    const contoso = await caseMessage(doomed, "Contoso Ltd");
    expect(buttons(contoso, ACTIONS.suspendSubscription)).toHaveLength(3);
    const suspendPress = await pressThenKill(doomed, OPERATOR, contoso, ACTIONS.suspendSubscription);
    expect(appliedChanges(emulator, DEMO_TENANTS.legacyOnly).size).toBe(0);
    await withLogsOnFailure(survivor, waitFor("the press carried out by the survivor", () => appliedChanges(emulator, DEMO_TENANTS.legacyOnly).size === 1, 30_000));
    await withLogsOnFailure(survivor, waitFor("the case message shows it", () => buttons(contoso, ACTIONS.suspendSubscription).length === 2, 30_000));
    expect([...appliedChanges(emulator, DEMO_TENANTS.legacyOnly).values()]).toEqual([1]);
    await waitFor("the survivor's log line for the press", () => worked(survivor, suspendPress) === 1, 10_000);

    // Approve, pressed on a fresh instance that dies too; the survivor removes once
    const fourthCoffee = await caseMessage(survivor, "Fourth Coffee");
    await waitFor("Request removal offered", () => buttons(fourthCoffee, ACTIONS.requestRemoval).length === 1, 30_000);
    const approvalRequests = () => world.slack.messages.filter((m) => m.channel === APPROVAL_CHANNEL && m.text.includes("Fourth Coffee"));
    const request = buttons(fourthCoffee, ACTIONS.requestRemoval)[0]?.value ?? "";
    // Request removal opens the justification modal; its submission is the request
    const modals = world.slack.openModals.length;
    await survivor.sender.blockAction(OPERATOR, fourthCoffee.channel, fourthCoffee.ts, { action_id: ACTIONS.requestRemoval, value: request }, world.responseUrl(OPS_CHANNEL, OPERATOR.id));
    const modal = await withLogsOnFailure(survivor, waitFor("the request modal", () => world.slack.openModals[modals], 30_000));
    expect((await submitModal({ sender: survivor.sender }, OPERATOR, modal, JUSTIFICATION_BLOCK, JUSTIFICATION_INPUT, JUSTIFICATION)).status).toBe(200);
    const approval = await withLogsOnFailure(survivor, waitFor("the approval request posted", () => approvalRequests()[0], 30_000));
    await waitFor("Approve offered", () => buttons(approval, ACTIONS.approve).length === 1, 30_000);

    const second = await world.start(emulator.url, ENV);
    const approvePress = await pressThenKill(second, APPROVER, approval, ACTIONS.approve);
    const removals = () => emulator.requests().filter((r) => r.route === "PATCH /customers/{id}" && r.status < 300 && !r.replayed).length;
    expect(removals()).toBe(0);
    const removedNote = () => world.slack.messages.filter((m) => m.channel === OPS_CHANNEL && m.threadTs === fourthCoffee.ts && m.text.includes("is removed"));
    await withLogsOnFailure(survivor, waitFor("the approver's press answered in the case thread", () => removedNote().length === 1, 30_000));
    await waitFor("the approval message final", () => textOf(approval.blocks).includes("Removed.") && buttons(approval, ACTIONS.approve).length === 0, 30_000);
    expect(removals()).toBe(1);
    expect(approvalRequests()).toHaveLength(1);
    await waitFor("the survivor's log line for the Approve", () => worked(survivor, approvePress) === 1, 10_000);
    await survivor.stop("SIGTERM");
    expect(removedNote()).toHaveLength(1);
    expect(removals()).toBe(1);
  });
});
