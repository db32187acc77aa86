// Kills the app process while it is ending a customer's GDAP relationships and restarts it on
// the same database: the restarted process takes the job over once the dead one's lease has run
// out, and finishes it with every relationship terminated by one request, none sent twice.
import { ACTIONS, JUSTIFICATION_BLOCK, JUSTIFICATION_INPUT } from "../../src/slack/slack-inputs";
import { JUSTIFICATION, submitModal } from "../support/slack-steps";
import { messageState } from "../../src/stand-ins/slack/slack-request-signer";
import { type GraphStandIn, createGraphStandIn, demoRelationshipId, graphMount } from "../../src/stand-ins/graph";
import { type EmulatorHandle, startEmulator } from "../../src/stand-ins/partner-center";
import { DEMO_TENANTS } from "../../src/stand-ins/partner-center/demo-partner";
import { APPROVAL_CHANNEL, APPROVER, OPERATOR, OPS_CHANNEL, buttonsOf, textOf, waitFor } from "../support/app-harness";
import { type AppProcess, type ProcessWorld, createProcessWorld, withLogsOnFailure } from "../support/app-process";
import { describeDatabase } from "../support/test-database";

const TENANT = DEMO_TENANTS.clean;
let world: ProcessWorld;
let graph: GraphStandIn;
let emulator: EmulatorHandle;

beforeAll(async () => {
  world = await createProcessWorld();
  // every Graph answer takes a while, so the kill lands in the middle of the ending
  graph = createGraphStandIn({ latencyMs: 150, terminationMs: 500 });
  emulator = await startEmulator({ port: 0, mounts: [graphMount(graph)] });
  // more relationships to end than the demo's two, so there is a middle to kill in
  const template = graph.relationships(TENANT).find((r) => r.status === "active");
  if (!template) throw new Error("no active demo relationship");
  for (const name of ["Fourth Coffee intune", "Fourth Coffee exchange", "Fourth Coffee billing"]) graph.add({ ...template, id: demoRelationshipId(name), displayName: name, requests: [] });
});
afterAll(async () => {
  await world.close();
  await emulator.close();
});

const posts = (relationshipId: string) => graph.requests().filter((r) => r.method === "POST" && r.relationshipId === relationshipId);

async function press(app: AppProcess, user: typeof OPERATOR, message: { channel: string; ts: string; blocks: unknown[] }, actionId: string) {
  const button = buttonsOf(message.blocks).find((b) => b.action_id === actionId);
  if (!button?.value) throw new Error(`no ${actionId} button`);
  const pressed = await app.sender.blockAction(user, message.channel, message.ts, { action_id: actionId, value: button.value }, world.responseUrl(message.channel, user.id), {
    state: messageState(message.blocks),
  });
  expect(pressed.status).toBe(200);
}

test(`SIGKILL while GDAP relationships are being ended: a restart finishes, each terminated once (${describeDatabase()})`, async () => {
  const env = { GRAPH_URL: `${emulator.origin}/graph/v1.0`, JOB_LEASE_SECONDS: "2" };
  const active = graph.relationships(TENANT).filter((r) => r.status === "active");
  expect(active).toHaveLength(5);

  const first = await world.start(emulator.url, env);
  // the first directory sync may still be running: ask again until the case message appears
  const message = await withLogsOnFailure(
    first,
    waitFor(
      "the case message",
      async () => {
        const found = world.slack.messages.find((m) => m.channel === OPS_CHANNEL && m.text.includes("Fourth Coffee"));
        if (found) return found;
        await first.sender.slashCommand(OPERATOR, OPS_CHANNEL, "Fourth Coffee", world.responseUrl(OPS_CHANNEL, OPERATOR.id));
        await new Promise((resolve) => setTimeout(resolve, 200));
        return undefined;
      },
      30_000,
    ),
  );
  await waitFor("Request removal", () => buttonsOf(message.blocks).some((b) => b.action_id === ACTIONS.requestRemoval));
  // Request removal… opens its modal at once; the justification's submission is the request
  const modals = world.slack.openModals.length;
  await press(first, OPERATOR, message, ACTIONS.requestRemoval);
  const modal = await withLogsOnFailure(first, waitFor("the request modal", () => world.slack.openModals[modals], 30_000));
  expect((await submitModal({ sender: first.sender }, OPERATOR, modal, JUSTIFICATION_BLOCK, JUSTIFICATION_INPUT, JUSTIFICATION)).status).toBe(200);
  const approval = await withLogsOnFailure(first, waitFor("the approval message", () => world.slack.channelMessages(APPROVAL_CHANNEL)[0], 30_000));
  expect(textOf(approval.blocks)).toContain("Also end GDAP relationships");
  await press(first, APPROVER, approval, ACTIONS.approve);

  // the first terminate has landed in Graph: kill the process there
  await withLogsOnFailure(first, waitFor("a first relationship's termination accepted", () => graph.requests().some((r) => r.method === "POST" && r.status === 201), 60_000));
  expect((await first.stop("SIGKILL")).signal).toBe("SIGKILL");
  const endedAtKill = graph.requests().filter((r) => r.method === "POST" && r.status === 201).length;
  expect(endedAtKill).toBeLessThan(5);

  const second = await world.start(emulator.url, env);
  await withLogsOnFailure(second, waitFor("the case shows the GDAP relationships ended", () => textOf(message.blocks).includes("GDAP relationships ended"), 90_000));
  await second.stop("SIGTERM");

  // Graph: every active one terminated by exactly one request, none sent twice; the draft deleted
  for (const r of active) {
    expect(posts(r.id).map((p) => p.status)).toEqual([201]);
    expect(["terminationRequested", "terminated"]).toContain(graph.relationships(TENANT).find((x) => x.id === r.id)?.status);
  }
  expect(graph.relationships(TENANT).filter((r) => r.status === "active")).toHaveLength(0);
  expect(graph.relationships(TENANT).some((r) => r.status === "created")).toBe(false);

  // the job's own record agrees: done, each relationship recorded once, its final status audited once
  const db = await world.openDatabase();
  try {
    const job = await db.prisma.job.findFirstOrThrow({ where: { kind: "gdap_ending", case: { tenantId: TENANT } } });
    expect(job.state).toBe("done");
    const items = await db.prisma.jobItem.findMany({ where: { jobId: job.id } });
    expect(items).toHaveLength(1 + 5 + 1);
    expect(items.every((i) => i.state === "done" && i.attempts === 1)).toBe(true);
    const finals = await db.prisma.auditEvent.findMany({ where: { tenantId: TENANT, action: "gdap.final_status" } });
    expect(finals).toHaveLength(6);
    expect(new Set(finals.map((e) => (e.detail as { relationshipId?: string }).relationshipId)).size).toBe(6);
  } finally {
    await db.close();
  }
  // two app processes start one after the other: more than the default minute on a busy machine
}, 180_000);
