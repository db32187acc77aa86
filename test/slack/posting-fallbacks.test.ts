// What the app posts outside a listener's turn goes where a case message would when Slack refuses
// the first place (case-placement.ts): a portfolio scan started where the bot may not post, and a
// case message (with its GDAP ending's progress) whose private channel the bot was removed from.
// The strict Slack stand-in refuses those channels as Slack does (channel_not_found).
import { DEMO_TENANTS } from "../../src/stand-ins/partner-center/demo-partner";
import { ACTIONS } from "../../src/slack/slack-inputs";
import { APPROVER, type Harness, OPERATOR, buttonsOf, startHarness, textOf, waitFor } from "../support/app-harness";
import { requestRemovalAndWait } from "../support/slack-steps";

/** #leadership: private; the bot is not in it unless a test invites it */
const PRIVATE = "C0PRIVATE";
/** DEFAULT_CASE_CHANNEL_ID here: public, so the bot may post with chat:write.public */
const DEFAULT = "C0GENERAL";

let h: Harness;

beforeAll(async () => {
  h = await startHarness({ env: { DEFAULT_CASE_CHANNEL_ID: DEFAULT }, graphOptions: { terminationMs: 300 } });
});
afterAll(async () => h.close());

const hasButton = (message: { blocks: unknown[] }, actionId: string) => buttonsOf(message.blocks).some((b) => b.action_id === actionId);
const refusedIn = (method: string, channel: string) => h.slack.refusals.some((c) => c.method === method && c.body.channel === channel && c.error === "channel_not_found");

function commandIn(channel: string, text: string) {
  return h.sender.slashCommand(OPERATOR, channel, text, h.slack.createResponseUrl(h.slackUrl, channel, OPERATOR.id));
}

test("a scan started where the bot may not post shows its progress, result and CSV in the default channel", async () => {
  expect((await commandIn(PRIVATE, "scan")).status).toBe(200);
  const scan = await waitFor(
    "the scan's result",
    async () => {
      const latest = await h.app.store.scans.latest();
      return latest && !latest.active && latest.resultTs ? latest : undefined;
    },
    60_000,
  );
  expect(refusedIn("chat.postMessage", PRIVATE)).toBe(true);
  // the scan keeps the channel that took its messages, so every redraw and the result go there
  expect(scan.channelId).toBe(DEFAULT);
  const posted = h.slack.channelMessages(DEFAULT);
  const progress = posted.find((m) => m.ts === scan.messageTs);
  expect(progress?.updates).toBeGreaterThan(0);
  expect(posted.find((m) => m.ts === scan.resultTs)).toBeDefined();
  const upload = h.slack.calls.find((c) => c.method === "files.completeUploadExternal");
  expect(upload?.body).toMatchObject({ channel_id: DEFAULT, thread_ts: scan.resultTs });
  expect(h.slack.channelMessages(PRIVATE)).toHaveLength(0);
});

test("a case message whose private channel the bot leaves is posted again, and the GDAP ending's progress reaches it", async () => {
  h.slack.workspace.setBotMember(PRIVATE, true);
  try {
    await commandIn(PRIVATE, "Fourth Coffee");
    const message = await waitFor("the case in #leadership", () => h.slack.channelMessages(PRIVATE).find((m) => m.text.includes("Fourth Coffee")));
    if (hasButton(message, ACTIONS.suspendAll)) await h.press(OPERATOR, message, ACTIONS.suspendAll);
    await waitFor("Request removal offered", () => hasButton(message, ACTIONS.requestRemoval), 30_000);
    const approval = await requestRemovalAndWait(h, OPERATOR, message);

    // an admin removes the app from #leadership: Slack no longer lets it touch the message there
    h.slack.workspace.setBotMember(PRIVATE, false);
    await h.press(APPROVER, approval, ACTIONS.approve);
    const moved = await waitFor("the case posted again in the default channel", () => h.slack.channelMessages(DEFAULT).find((m) => m.text.includes("Fourth Coffee")), 30_000);
    await waitFor("the GDAP ending's final status on it", () => textOf(moved.blocks).includes("GDAP relationships ended"), 30_000);
    expect(refusedIn("chat.update", PRIVATE)).toBe(true);
    const stored = await h.app.store.cases.listByTenant(DEMO_TENANTS.clean);
    expect(stored[0]?.caseMessage).toEqual({ channelId: DEFAULT, ts: moved.ts });
    // the old message was left as it was when the bot lost the channel
    expect(textOf(message.blocks)).not.toContain("GDAP relationships ended");
  } finally {
    h.slack.workspace.setBotMember(PRIVATE, false);
  }
});
