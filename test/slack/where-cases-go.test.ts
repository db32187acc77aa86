// Cases reach the operator wherever /offboard was typed, and a removal request either reaches the
// approvers or did not happen, against a stand-in that posts only where real Slack would.
import { DEMO_TENANTS } from "../../src/stand-ins/partner-center/demo-partner";
import type { SlackUser } from "../../src/stand-ins/slack/slack-request-signer";
import { ACTIONS } from "../../src/slack/slack-inputs";
import { APPROVAL_CHANNEL, APPROVER, type Harness, OPERATOR, OPS_CHANNEL, buttonsOf, startHarness, textOf, waitFor } from "../support/app-harness";
import { hasButton, requestRemoval, requestRemovalAndWait } from "../support/slack-steps";

const PRIVATE_WITHOUT_BOT = "C0PRIVATE";
const PUBLIC_WITHOUT_BOT = "C0GENERAL";
const DM_BETWEEN_PEOPLE = "D0OPERAPPR";


function commandIn(h: Harness, channel: string, user: SlackUser, text: string) {
  return h.sender.slashCommand(user, channel, text, h.slack.createResponseUrl(h.slackUrl, channel, user.id));
}

function ephemeralsOf(h: Harness, user: string, channel?: string) {
  return h.slack.ephemerals.filter((e) => e.user === user && (!channel || e.channel === channel));
}

describe("with no default case channel", () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness();
  });
  afterAll(async () => h.close());

  test("/offboard in a private channel without the bot: the case comes in a DM, with a pointer where it was typed", async () => {
    const pointers = ephemeralsOf(h, OPERATOR.id, PRIVATE_WITHOUT_BOT).length;
    expect((await commandIn(h, PRIVATE_WITHOUT_BOT, OPERATOR, "Contoso Ltd")).status).toBe(200);
    const message = await waitFor("the case in the operator's DM", () => h.slack.directMessages(OPERATOR.id).find((m) => m.text.includes("Contoso Ltd")));
    const pointer = await waitFor("a pointer in the private channel", () => ephemeralsOf(h, OPERATOR.id, PRIVATE_WITHOUT_BOT)[pointers]);
    expect(pointer.text).toContain("cannot post in this conversation");
    expect(pointer.text).toContain("direct messages");
    // Slack refused the first place, as real Slack would; nothing says the case failed
    expect(h.slack.refusals.some((c) => c.method === "chat.postMessage" && c.body.channel === PRIVATE_WITHOUT_BOT && c.error === "channel_not_found")).toBe(true);
    expect(ephemeralsOf(h, OPERATOR.id).some((e) => /went wrong|nothing was changed/i.test(e.text))).toBe(false);
    // the case works there: its buttons act, and the message is kept up to date
    const c = await h.app.store.cases.findActiveByTenant(DEMO_TENANTS.legacyOnly);
    expect(c?.caseMessage?.channelId).toBe(message.channel);
    await h.press(OPERATOR, message, ACTIONS.suspendAll);
    await waitFor("Request removal offered in the DM", () => hasButton(message, ACTIONS.requestRemoval), 30_000);
  });

  test("/offboard in a public channel the bot was never invited to posts there (chat:write.public)", async () => {
    await commandIn(h, PUBLIC_WITHOUT_BOT, OPERATOR, "Alpine Ski House");
    await waitFor("the case in #general", () => h.slack.channelMessages(PUBLIC_WITHOUT_BOT).find((m) => m.text.includes("Alpine Ski House")));
  });

  test("/offboard in a DM between two people (where no bot is): the case in the operator's DM with the app", async () => {
    await commandIn(h, DM_BETWEEN_PEOPLE, OPERATOR, "Coho Winery");
    await waitFor("the case in the operator's DM", () => h.slack.directMessages(OPERATOR.id).find((m) => m.text.includes("Coho Winery")));
    expect(h.slack.channelMessages(DM_BETWEEN_PEOPLE)).toHaveLength(0);
  });

  test("the same case asked for in another channel moves there; the old message says where and loses its buttons", async () => {
    await h.command(OPERATOR, "Proseware Inc");
    const first = await waitFor("the case in #offboarding", () => h.slack.channelMessages(OPS_CHANNEL).find((m) => m.text.includes("Proseware Inc")));
    expect(buttonsOf(first.blocks).length).toBeGreaterThan(0);
    await commandIn(h, PUBLIC_WITHOUT_BOT, OPERATOR, "Proseware Inc");
    await waitFor("the case in #general", () => h.slack.channelMessages(PUBLIC_WITHOUT_BOT).find((m) => m.text.includes("Proseware Inc")));
    await waitFor("the old message points to the new one", () => textOf(first.blocks).includes(`<#${PUBLIC_WITHOUT_BOT}>`));
    expect(buttonsOf(first.blocks)).toHaveLength(0);
  });
});

describe("with a default case channel", () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({ env: { DEFAULT_CASE_CHANNEL_ID: OPS_CHANNEL } });
  });
  afterAll(async () => h.close());

  test("/offboard where the bot cannot post puts the case in the default channel and points to it", async () => {
    const pointers = ephemeralsOf(h, OPERATOR.id, PRIVATE_WITHOUT_BOT).length;
    await commandIn(h, PRIVATE_WITHOUT_BOT, OPERATOR, "Trey Research");
    await waitFor("the case in #offboarding", () => h.slack.channelMessages(OPS_CHANNEL).find((m) => m.text.includes("Trey Research")));
    const pointer = await waitFor("a pointer", () => ephemeralsOf(h, OPERATOR.id, PRIVATE_WITHOUT_BOT)[pointers]);
    expect(pointer.text).toContain(`<#${OPS_CHANNEL}>`);
  });
});

describe("an approvals channel the bot is not in", () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness();
  });
  afterAll(async () => h.close());

  test("a request is never left waiting without an approval message: nothing changes, the requester is told, and it can be sent once the bot is invited", async () => {
    await h.command(OPERATOR, "Fourth Coffee");
    const message = await waitFor("case message", () => h.slack.channelMessages(OPS_CHANNEL).find((m) => m.text.includes("Fourth Coffee")));
    await waitFor("Request removal offered", () => hasButton(message, ACTIONS.requestRemoval));
    // an admin removed the bot from the private approvals channel
    h.slack.workspace.setBotMember(APPROVAL_CHANNEL, false);
    const dms = h.slack.directMessages(OPERATOR.id).length;
    const { answer } = await requestRemoval(h, OPERATOR, message);
    expect(answer.status).toBe(200);
    const told = await waitFor("the requester told why", () => h.slack.directMessages(OPERATOR.id)[dms]);
    expect(told.text).toContain("was not requested");
    expect(told.text).toContain("/invite");
    await h.app.slack.settle();
    const c = await h.app.store.cases.findActiveByTenant(DEMO_TENANTS.clean);
    expect(c?.state).toBe("open");
    expect(h.slack.channelMessages(APPROVAL_CHANNEL)).toHaveLength(0);
    const failed = (await h.app.store.audit.listByTenant(DEMO_TENANTS.clean)).find((e) => e.action === "removal.request" && e.outcome === "failed");
    expect(failed?.detail).toMatchObject({ justification: expect.stringContaining("Contract ended") });
    // readiness says so, plainly, without turning unready (cases and suspensions still work)
    const ready = await fetch(`${h.app.url}/readyz`);
    expect(ready.status).toBe(200);
    const body = (await ready.json()) as { checks: { approvalChannel: boolean }; problems: string[] };
    expect(body.checks.approvalChannel).toBe(false);
    expect(body.problems.join(" ")).toContain(APPROVAL_CHANNEL);

    // the bot is invited again: the same button sends it, and approval works
    h.slack.workspace.setBotMember(APPROVAL_CHANNEL, true);
    const approval = await requestRemovalAndWait(h, OPERATOR, message);
    expect((await h.app.store.cases.findActiveByTenant(DEMO_TENANTS.clean))?.approvalMessage?.ts).toBe(approval.ts);
    await h.press(APPROVER, approval, ACTIONS.approve);
    await waitFor("removed", () => textOf(approval.blocks).includes("Removed."));
  });

  test("start-up says plainly when approval requests cannot be posted", async () => {
    h.slack.workspace.setBotMember(APPROVAL_CHANNEL, false);
    const other = await startHarness({ workspace: { conversations: h.slack.workspace.spec.conversations.map((c) => (c.id === APPROVAL_CHANNEL ? { ...c, bot: false } : c)) } });
    try {
      const line = await waitFor("the start-up line", () => other.logs.find((l) => l.includes("Approval requests cannot be posted")));
      expect(JSON.parse(line)).toMatchObject({ level: 50, channel: APPROVAL_CHANNEL });
      expect(line).toContain("Invite the app");
    } finally {
      await other.close();
      h.slack.workspace.setBotMember(APPROVAL_CHANNEL, true);
    }
  });
});
