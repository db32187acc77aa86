// Two app instances on one database, double clicks and Slack retries: each thing happens once.
// On PostgreSQL (DATABASE_URL) the second instance has its own connection pool on the same schema;
// on PGlite both instances share the one embedded database.
import { DEMO_TENANTS } from "../../src/stand-ins/partner-center/demo-partner";
import type { Application } from "../../src/app";
import { type SlackRequestSender, messageState } from "../../src/stand-ins/slack/slack-request-signer";
import { ACTIONS } from "../../src/slack/slack-inputs";
import { hasButton, requestRemovalAndWait } from "../support/slack-steps";
import { APPROVAL_CHANNEL, APPROVER, type Harness, OPERATOR, OPS_CHANNEL, SECOND_APPROVER, buttonsOf, startHarness, startSecondInstance, waitFor } from "../support/app-harness";
import { describeDatabase } from "../support/test-database";
import { JUSTIFICATION, submitModal } from "../support/slack-steps";
import { JUSTIFICATION_BLOCK, JUSTIFICATION_INPUT } from "../../src/slack/slack-inputs";

let h: Harness;
let second: { app: Application; sender: SlackRequestSender; logs: string[] };

beforeAll(async () => {
  h = await startHarness();
  second = await startSecondInstance(h);
});
afterAll(async () => {
  await second.app.close();
  await h.close();
});

const removalCalls = () => h.emulator.stats().byRoute["PATCH /customers/{id}"] ?? 0;
const relationshipOf = (tenantId: string) => h.emulator.snapshot().customers.find((c) => c.id === tenantId)?.relationshipToPartner;
const ephemeralsFor = (user: string) => h.slack.ephemerals.filter((e) => e.user === user);

function buttonValue(message: { blocks: unknown[] }, actionId: string): string {
  const value = buttonsOf(message.blocks).find((b) => b.action_id === actionId)?.value;
  if (!value) throw new Error(`no ${actionId} button`);
  return value;
}

async function openCase(companyName: string) {
  return waitFor(
    `case message for ${companyName}`,
    async () => {
      const found = h.slack.messages.find((m) => m.channel === OPS_CHANNEL && m.text.includes(companyName));
      if (found) return found;
      await h.command(OPERATOR, companyName);
      return waitFor(`case message for ${companyName}`, () => h.slack.messages.find((m) => m.channel === OPS_CHANNEL && m.text.includes(companyName)), 2_000).catch(() => undefined);
    },
    30_000,
  );
}

async function awaitingApproval(companyName: string) {
  const message = await openCase(companyName);
  if (hasButton(message, ACTIONS.suspendAll)) await h.press(OPERATOR, message, ACTIONS.suspendAll);
  await waitFor("Request removal button", () => hasButton(message, ACTIONS.requestRemoval));
  return requestRemovalAndWait(h, OPERATOR, message);
}

describe(`duplicates and two instances (${describeDatabase()})`, () => {
  test("Approve pressed at the same moment on two instances: one removal call, the other approver is told who approved", async () => {
    const approval = await awaitingApproval("Fourth Coffee");
    const calls = removalCalls();
    const value = buttonValue(approval, ACTIONS.approve);
    const url = (user: string) => h.slack.createResponseUrl(h.slackUrl, APPROVAL_CHANNEL, user);
    const [a, b] = await Promise.all([
      // each with the card's GDAP box as shown, as Slack sends it
      h.sender.blockAction(APPROVER, APPROVAL_CHANNEL, approval.ts, { action_id: ACTIONS.approve, value }, url(APPROVER.id), { state: messageState(approval.blocks) }),
      second.sender.blockAction(SECOND_APPROVER, APPROVAL_CHANNEL, approval.ts, { action_id: ACTIONS.approve, value }, url(SECOND_APPROVER.id), { state: messageState(approval.blocks) }),
    ]);
    expect([a.status, b.status]).toEqual([200, 200]);
    await waitFor("relationship removed", () => relationshipOf(DEMO_TENANTS.clean) === "none");
    const c = (await h.app.store.cases.listByTenant(DEMO_TENANTS.clean))[0];
    const decision = await h.app.store.cases.getDecision(c?.id ?? "");
    const winner = decision?.decidedBy;
    const loser = winner === APPROVER.id ? SECOND_APPROVER.id : APPROVER.id;
    expect([APPROVER.id, SECOND_APPROVER.id]).toContain(winner);
    const told = await waitFor("the other approver's answer", () => ephemeralsFor(loser).find((e) => e.text.includes("already approved")));
    expect(told.text).toContain(`<@${winner}> already approved`);
    await waitFor("case removed", async () => (await h.app.store.cases.get(c?.id ?? ""))?.state === "removed");
    expect(removalCalls()).toBe(calls + 1);
    const approved = (await h.app.store.audit.listByTenant(DEMO_TENANTS.clean)).filter((e) => e.action === "removal.approved");
    expect(approved).toHaveLength(1);
  });

  test("two approvers pressing Approve at once on the same instance: one removal", async () => {
    const approval = await awaitingApproval("Coho Winery");
    const calls = removalCalls();
    await Promise.all([h.press(APPROVER, approval, ACTIONS.approve), h.press(SECOND_APPROVER, approval, ACTIONS.approve)]);
    await waitFor("relationship removed", () => relationshipOf(DEMO_TENANTS.ordinaryCoho) === "none");
    await waitFor("the other approver is told", () => [APPROVER.id, SECOND_APPROVER.id].some((u) => ephemeralsFor(u).some((e) => e.text.includes("already approved"))));
    expect(removalCalls()).toBe(calls + 1);
  });

  test("Suspend all double-clicked (both presses at once): one job", async () => {
    const message = await openCase("Woodgrove Bank");
    const before = ephemeralsFor(OPERATOR.id).length;
    const value = buttonValue(message, ACTIONS.suspendAll);
    const url = () => h.slack.createResponseUrl(h.slackUrl, OPS_CHANNEL, OPERATOR.id);
    await Promise.all([
      h.sender.blockAction(OPERATOR, OPS_CHANNEL, message.ts, { action_id: ACTIONS.suspendAll, value }, url()),
      second.sender.blockAction(OPERATOR, OPS_CHANNEL, message.ts, { action_id: ACTIONS.suspendAll, value }, url()),
    ]);
    const joined = await waitFor("the second press is told the job is running", () => ephemeralsFor(OPERATOR.id).slice(before).find((e) => e.text.includes("already running")));
    expect(joined.text).toContain("500 subscriptions");
    const c = await h.app.store.cases.findActiveByTenant(DEMO_TENANTS.bigCustomer);
    expect(await h.app.db.prisma.job.count({ where: { caseId: c?.id ?? "" } })).toBe(1);
    // both instances' runners work; the job is still one job, each subscription patched once
    await waitFor("job finished", async () => (await h.app.store.jobs.latestForCase(c?.id ?? ""))?.state === "done", 60_000);
    expect(h.emulator.stats().byRoute["PATCH /customers/{id}/subscriptions/{id}"]).toBeGreaterThanOrEqual(500);
    expect(await h.app.db.prisma.jobItem.count({ where: { job: { caseId: c?.id ?? "" }, attempts: { not: 1 } } })).toBe(0);
  });

  test("a Slack retry (X-Slack-Retry-Num) of a button press already handled does nothing more", async () => {
    const message = await openCase("Proseware Inc");
    await h.press(OPERATOR, message, ACTIONS.suspendAll);
    await waitFor("Request removal button", () => hasButton(message, ACTIONS.requestRemoval), 30_000);
    const approvals = h.slack.channelMessages(APPROVAL_CHANNEL).length;
    const modals = h.slack.openModals.length;
    const press = { action_id: ACTIONS.requestRemoval, value: buttonValue(message, ACTIONS.requestRemoval) };
    const url = () => h.slack.createResponseUrl(h.slackUrl, OPS_CHANNEL, OPERATOR.id);
    const triggerId = h.slack.issueTrigger(OPERATOR.id);
    await h.sender.blockAction(OPERATOR, OPS_CHANNEL, message.ts, press, url(), { triggerId });
    const modal = await waitFor("the request modal", () => h.slack.openModals[modals]);
    // Slack did not see our answer in time and sends the same request again, to either instance
    const retry = await second.sender.blockAction(OPERATOR, OPS_CHANNEL, message.ts, press, url(), {
      triggerId,
      headers: { "x-slack-retry-num": "1", "x-slack-retry-reason": "http_timeout" },
    });
    expect(retry.status).toBe(200);
    await waitFor("the retry dropped", () => second.logs.some((l) => l.includes("dropped a Slack retry")));
    // one modal, one request: the trigger opens one view, and the retry's attempt is taken as the second delivery it is
    expect(h.slack.openModals).toHaveLength(modals + 1);
    expect(h.slack.calls.filter((c) => c.method === "views.open" && c.body.trigger_id === triggerId && !c.error)).toHaveLength(1);
    await submitModal(h, OPERATOR, modal, JUSTIFICATION_BLOCK, JUSTIFICATION_INPUT, JUSTIFICATION);
    await waitFor("approval message", () => h.slack.channelMessages(APPROVAL_CHANNEL)[approvals]);
    expect(h.slack.channelMessages(APPROVAL_CHANNEL)).toHaveLength(approvals + 1);
    const refused = (await h.app.store.audit.listByTenant(DEMO_TENANTS.ordinaryProseware)).filter((e) => e.action === "removal.request" && e.outcome === "refused");
    expect(refused).toHaveLength(0);
  });

  test("a Slack retry of an event already handled does nothing more; a retry of one never handled is handled", async () => {
    const event = (eventId: string) =>
      JSON.stringify({
        token: "legacy-unused",
        team_id: "TLOCAL",
        api_app_id: "ALOCAL",
        type: "event_callback",
        event_id: eventId,
        event_time: Math.floor(Date.now() / 1000),
        event: { type: "app_home_opened", user: APPROVER.id, channel: `D${APPROVER.id}`, tab: "home", event_ts: String(Date.now() / 1000) },
      });
    const publishes = () => h.slack.calls.filter((c) => c.method === "views.publish" && c.body.user_id === APPROVER.id).length;
    const retryHeaders = { "x-slack-retry-num": "1", "x-slack-retry-reason": "http_timeout" };
    const before = publishes();
    expect((await h.sender.send(event("EvHANDLED1"), "application/json")).status).toBe(200);
    await waitFor("home published", () => publishes() === before + 1);
    expect((await second.sender.send(event("EvHANDLED1"), "application/json", retryHeaders)).status).toBe(200);
    await waitFor("the retry dropped", () => second.logs.some((l) => l.includes("EvHANDLED1") && l.includes("dropped a Slack retry")));
    // a retry of an event this app never saw (it was down) is the first delivery: handled
    expect((await second.sender.send(event("EvNEVERSEEN"), "application/json", retryHeaders)).status).toBe(200);
    await waitFor("home published again", () => publishes() === before + 2);
  });
});
