// People are told: one line per step in the case's thread, the requester's direct messages when
// their request is approved, rejected, reopened, fails or expires, approvers mentioned and
// reminded before a request expires, dates each reader sees in their own time zone; a request can
// be withdrawn, an older card stops deciding anything, and the Home tab keeps up.
import { DEMO_TENANTS } from "../../src/stand-ins/partner-center/demo-partner";
import { ACTIONS } from "../../src/slack/slack-inputs";
import { messageState } from "../../src/stand-ins/slack/slack-request-signer";
import { APPROVAL_CHANNEL, APPROVER, type Harness, OPERATOR, OPS_CHANNEL, SECOND_APPROVER, SECOND_OPERATOR, buttonsOf, startHarness, textOf, waitFor } from "../support/app-harness";
import { hasButton, JUSTIFICATION, reject, requestRemovalAndWait } from "../support/slack-steps";
import { LOCAL_CONVERSATIONS } from "../../src/stand-ins/slack/local-workspace";

const threadOf = (h: Harness, message: { channel: string; ts: string }) => h.slack.messages.filter((m) => m.channel === message.channel && m.threadTs === message.ts).map((m) => m.text);
const dmsOf = (h: Harness, user: string) => h.slack.directMessages(user).map((m) => m.text);

async function readyCase(h: Harness, companyName: string) {
  await h.command(OPERATOR, companyName);
  const message = await waitFor(`case message for ${companyName}`, () => h.slack.channelMessages(OPS_CHANNEL).find((m) => m.text.includes(companyName)));
  if (hasButton(message, ACTIONS.suspendAll)) await h.press(OPERATOR, message, ACTIONS.suspendAll);
  await waitFor("Request removal offered", () => hasButton(message, ACTIONS.requestRemoval), 30_000);
  await h.app.slack.settle();
  return message;
}

describe("the steps of a removal", () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness();
  });
  afterAll(async () => h.close());

  test("each step is one line in the case's thread, the approvers are mentioned, and the requester hears of the outcome", async () => {
    await h.command(OPERATOR, "Contoso Ltd");
    const message = await waitFor("case message", () => h.slack.channelMessages(OPS_CHANNEL).find((m) => m.text.includes("Contoso Ltd")));
    await h.press(SECOND_OPERATOR, message, ACTIONS.suspendSubscription);
    await waitFor("one suspended", () => threadOf(h, message).some((t) => t.includes("suspended")));
    await h.press(OPERATOR, message, ACTIONS.suspendAll);
    await waitFor("Request removal offered", () => hasButton(message, ACTIONS.requestRemoval), 30_000);
    const approval = await requestRemovalAndWait(h, OPERATOR, message);
    // the approvers are named, so Slack notifies them; the justification and a local-time date are on the card
    for (const text of [approval.text, textOf(approval.blocks)]) expect(text).toContain(`<@${APPROVER.id}> <@${SECOND_APPROVER.id}>`);
    expect(textOf(approval.blocks)).toContain(JUSTIFICATION);
    expect(textOf(approval.blocks)).toMatch(/<!date\^\d+\^\{date_short_pretty\} at \{time\}\|[^>]+UTC>/);
    await h.press(APPROVER, approval, ACTIONS.approve);
    await waitFor("removed", () => textOf(approval.blocks).includes("Removed."));
    await h.app.slack.settle();

    const thread = threadOf(h, message);
    expect(thread).toEqual([
      expect.stringMatching(new RegExp(`^<@${SECOND_OPERATOR.id}> suspended \\*.+\\*\\.$`)),
      expect.stringMatching(new RegExp(`^<@${OPERATOR.id}> started \\*Suspend all\\* for 2 subscriptions\\.$`)),
      "*Suspend all* finished: 2 done, 0 failed.",
      expect.stringContaining(`<@${OPERATOR.id}> requested removal of *Contoso Ltd*: “${JUSTIFICATION}”`),
      expect.stringContaining(`<@${APPROVER.id}> approved the removal`),
      expect.stringMatching(/The reseller relationship with \*Contoso Ltd\* is removed\..*https:\/\//),
    ]);
    expect(dmsOf(h, OPERATOR.id)).toEqual(
      expect.arrayContaining([expect.stringContaining(`<@${APPROVER.id}> approved your request to remove *Contoso Ltd*`), ":white_check_mark: The reseller relationship with *Contoso Ltd* is removed."]),
    );
  });

  test("a rejection reaches the requester with its reason, and the approval card keeps no buttons", async () => {
    const message = await readyCase(h, "Proseware Inc");
    const approval = await requestRemovalAndWait(h, OPERATOR, message);
    await reject(h, APPROVER, approval, "Invoices still open for March");
    await waitFor("the requester's DM", () => dmsOf(h, OPERATOR.id).find((t) => t.includes("rejected your request to remove *Proseware Inc*: Invoices still open for March")));
    await waitFor("the card without buttons", () => buttonsOf(approval.blocks).length === 0);
    await waitFor("the thread line", () => threadOf(h, message).includes(`<@${APPROVER.id}> rejected the removal: Invoices still open for March`));
  });

  test("a removal reopened by the live re-check, and one that fails, are told to the requester", async () => {
    const trey = await readyCase(h, "Trey Research");
    const approval = await requestRemovalAndWait(h, OPERATOR, trey);
    const sub = h.emulator.snapshot().customers.find((c) => c.id === DEMO_TENANTS.ordinaryTrey)?.subscriptions.find((s) => s.status === "suspended");
    await fetch(`${h.emulator.origin}/_emulator/customers/${DEMO_TENANTS.ordinaryTrey}/subscriptions/${sub?.id}/status`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ status: "active" }) });
    await h.press(APPROVER, approval, ACTIONS.approve);
    await waitFor("reopened DM", () => dmsOf(h, OPERATOR.id).find((t) => t.includes("Your request to remove *Trey Research* was approved, but Partner Center shows items blocking removal again")));
    expect(buttonsOf(approval.blocks)).toHaveLength(0);

    const coho = await readyCase(h, "Coho Winery");
    const second = await requestRemovalAndWait(h, OPERATOR, coho);
    h.emulator.configure({ failNext: [{ route: "PATCH /customers/{id}", status: 400, body: JSON.stringify({ code: 800113, description: "Cannot remove <b>now</b>", data: [], source: "PartnerFD" }) }] });
    await h.press(APPROVER, second, ACTIONS.approve);
    const failed = await waitFor("failure DM", () => dmsOf(h, OPERATOR.id).find((t) => t.includes("Removing *Coho Winery* failed")));
    expect(failed).toContain("&lt;b&gt;now&lt;/b&gt;");
  });

  test("the requester withdraws; nobody else can; a re-sent request replaces the old card, whose buttons decide nothing", async () => {
    const message = await readyCase(h, "Alpine Ski House");
    const first = await requestRemovalAndWait(h, OPERATOR, message);
    const oldApprove = buttonsOf(first.blocks).find((b) => b.action_id === ACTIONS.approve);
    // someone else's Withdraw is refused
    let before = h.slack.ephemerals.filter((e) => e.user === SECOND_OPERATOR.id).length;
    await h.press(SECOND_OPERATOR, message, ACTIONS.withdrawRequest);
    expect((await waitFor("refusal", () => h.slack.ephemerals.filter((e) => e.user === SECOND_OPERATOR.id)[before])).text).toContain("Only the person who requested");
    await h.press(OPERATOR, message, ACTIONS.withdrawRequest);
    await waitFor("the card says withdrawn", () => textOf(first.blocks).includes("Withdrawn"));
    expect(buttonsOf(first.blocks)).toHaveLength(0);
    expect((await h.app.store.cases.findActiveByTenant(DEMO_TENANTS.ordinaryAlpine))?.state).toBe("open");

    await waitFor("Request removal offered again", () => hasButton(message, ACTIONS.requestRemoval));
    const second = await requestRemovalAndWait(h, OPERATOR, message, "Second try: the contract really ended");
    expect(second.ts).not.toBe(first.ts);
    await waitFor("the old card says a newer request replaced it", () => textOf(first.blocks).includes("a newer request for this case replaced it"));
    // the old card's Approve, pressed from a stale client, decides nothing
    before = h.slack.ephemerals.filter((e) => e.user === APPROVER.id).length;
    await h.sender.blockAction(APPROVER, APPROVAL_CHANNEL, first.ts, { action_id: ACTIONS.approve, value: String(oldApprove?.value) }, h.slack.createResponseUrl(h.slackUrl, APPROVAL_CHANNEL, APPROVER.id));
    expect((await waitFor("refusal", () => h.slack.ephemerals.filter((e) => e.user === APPROVER.id)[before])).text).toContain("replaced by a newer one");
    expect((await h.app.store.cases.findActiveByTenant(DEMO_TENANTS.ordinaryAlpine))?.state).toBe("awaiting_approval");
  });

  test("the Home tab's Approve asks the same question as the channel's, and the Home tab is published again after it", async () => {
    const message = await readyCase(h, "Fourth Coffee");
    const approval = await requestRemovalAndWait(h, OPERATOR, message);
    await h.sender.appHomeOpened(APPROVER);
    const home = await waitFor("a home listing Fourth Coffee", () => {
      const view = h.slack.homeViews.get(APPROVER.id) as { blocks: unknown[] } | undefined;
      return view && textOf(view.blocks).includes("Fourth Coffee") ? view : undefined;
    });
    const channelApprove = buttonsOf(approval.blocks).find((b) => b.action_id === ACTIONS.approve);
    const homeApprove = buttonsOf(home.blocks).find((b) => b.action_id === ACTIONS.approve && b.value === channelApprove?.value);
    // the same question, word for word: the Home tab has the same GDAP box next to its Approve
    expect(homeApprove?.confirm).toEqual(channelApprove?.confirm);
    await h.sender.homeBlockAction(APPROVER, `VHOME${APPROVER.id}`, { action_id: String(homeApprove?.id), value: String(homeApprove?.value) }, { state: messageState(home.blocks) });
    await waitFor("removed", () => textOf(approval.blocks).includes("Removed."));
    await waitFor("the home published again without it", () => !textOf((h.slack.homeViews.get(APPROVER.id) as { blocks: unknown[] }).blocks).includes("Fourth Coffee"));
  });
});

describe("a request about to expire", () => {
  let h: Harness;
  beforeAll(async () => {
    // a window of about 11 s, swept every second: reminded in its last quarter, then expired
    h = await startHarness({ env: { APPROVAL_TTL_HOURS: "0.003", EXPIRY_SWEEP_SECONDS: "1" } });
  });
  afterAll(async () => h.close());

  test("the approvers are reminded once in the request's thread, and the requester hears when it expires", async () => {
    const message = await readyCase(h, "Fourth Coffee");
    const approval = await requestRemovalAndWait(h, OPERATOR, message);
    const reminder = await waitFor("a reminder", () => threadOf(h, approval).find((t) => t.includes("expires")), 20_000);
    expect(reminder).toContain(`<@${APPROVER.id}> <@${SECOND_APPROVER.id}>`);
    expect(reminder).toMatch(/<!date\^\d+\^/);
    await waitFor("the requester told it expired", () => dmsOf(h, OPERATOR.id).find((t) => t.includes("expired before anyone decided")), 20_000);
    await waitFor("the card says expired", () => textOf(approval.blocks).includes("Expired."));
    expect(threadOf(h, approval).filter((t) => t.includes("expires"))).toHaveLength(1);
    expect(threadOf(h, message)).toContain("The approval request expired before anyone decided.");
  });
});

describe("a reply whose response_url Slack no longer takes", () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness();
  });
  afterAll(async () => h.close());

  test("a command worked after its response_url expired is answered by direct message, once, and not done again", async () => {
    // the request waited out an outage: its response_url is past Slack's 30 minutes
    const expired = h.slack.createResponseUrl(h.slackUrl, OPS_CHANNEL, OPERATOR.id, { ageMs: 31 * 60_000 });
    const dms = h.slack.directMessages(OPERATOR.id).length;
    expect((await h.sender.slashCommand(OPERATOR, OPS_CHANNEL, "help", expired)).status).toBe(200);
    await h.app.slack.settle();
    expect(h.slack.calls.filter((c) => c.method === "response_url").map((c) => c.error)).toEqual(["expired_url"]);
    const told = h.slack.directMessages(OPERATOR.id).slice(dms);
    expect(told).toHaveLength(1);
    expect(told[0]?.text).toContain("/offboard");
    expect(told[0]?.text).not.toContain("could not be carried out");
    const jobs = await h.app.db.prisma.job.findMany({ where: { kind: "slack_interaction" } });
    expect(jobs.map((j) => [j.state, j.attempts])).toEqual([["done", 1]]);
  });
});

describe("the requester hears even when the case's thread cannot take the line", () => {
  let h: Harness;
  beforeAll(async () => {
    // the operators' channel is private here, so once the app is removed from it nothing posts there
    h = await startHarness({ workspace: { conversations: LOCAL_CONVERSATIONS.map((c) => ({ ...c, members: [...c.members], ...(c.id === OPS_CHANNEL ? { kind: "private" as const } : {}) })) } });
  });
  afterAll(async () => h.close());

  test("a rejection is told to the requester by direct message though the thread line is refused", async () => {
    const message = await readyCase(h, "Fourth Coffee");
    const approval = await requestRemovalAndWait(h, OPERATOR, message);
    h.slack.workspace.setBotMember(OPS_CHANNEL, false);
    const dms = dmsOf(h, OPERATOR.id).length;
    await reject(h, APPROVER, approval, "Contract runs until June");
    await h.app.slack.settle();
    expect(h.slack.refusals.some((c) => c.method === "chat.postMessage" && c.body["channel"] === OPS_CHANNEL && c.body["thread_ts"] === message.ts)).toBe(true);
    expect(dmsOf(h, OPERATOR.id).slice(dms).some((text) => text.includes("rejected your request") && text.includes("Contract runs until June"))).toBe(true);
  });
});
