// Text from outside is text: a company name with Slack markup in it, a justification and a reason
// with markup, and Partner Center's own words reach every message, DM, reply and fallback text
// escaped, never as a mention or a link. And requests from outside are checked: a signed request
// of a shape Slack never sends gets 400, a button value with a key we never set is refused, and
// a path that is not ours is a plain 404.
import { DEMO_TENANTS, seedDemoPartner } from "../../src/stand-ins/partner-center/demo-partner";
import { signSlackRequest } from "../../src/stand-ins/slack/slack-request-signer";
import { ACTIONS } from "../../src/slack/slack-inputs";
import { APPROVER, BYSTANDER, type Harness, OPERATOR, OPS_CHANNEL, buttonsOf, startHarness, textOf, waitFor } from "../support/app-harness";
import { reject, requestRemovalAndWait } from "../support/slack-steps";

const HOSTILE_NAME = "Fourth <!channel> <@U123> <https://evil.example|click>";
const RAW_MARKUP = /<!channel>|<!here>|<@U123>|<https:\/\/evil\.example/;

let h: Harness;

beforeAll(async () => {
  h = await startHarness({
    emulatorOptions: {
      initialState: () => {
        const state = seedDemoPartner(new Date());
        for (const c of state.customers) if (c.id === DEMO_TENANTS.clean) c.companyName = HOSTILE_NAME;
        return state;
      },
    },
  });
});
afterAll(async () => h.close());

/** Every piece of text Slack would render as mrkdwn, or send as a notification: `text`, and mrkdwn text objects. */
function renderedTexts(): string[] {
  const found: string[] = [];
  const walk = (value: unknown): void => {
    if (Array.isArray(value)) return value.forEach(walk);
    if (!value || typeof value !== "object") return;
    const object = value as Record<string, unknown>;
    if (object.type === "mrkdwn" && typeof object.text === "string") found.push(object.text);
    Object.values(object).forEach(walk);
  };
  for (const m of [...h.slack.messages, ...h.slack.ephemerals]) {
    found.push(m.text);
    walk(m.blocks);
  }
  for (const view of h.slack.homeViews.values()) walk(view);
  for (const modal of h.slack.openModals) walk(modal.view);
  return found;
}

test("a company name with markup is escaped in the case, the approval card, the thread, the DMs, the replies and every fallback text", async () => {
  await h.command(OPERATOR, "fourthcoffee.onmicrosoft.com");
  const message = await waitFor("case message", () => h.slack.channelMessages(OPS_CHANNEL).find((m) => m.text.includes("Fourth")));
  expect(message.text).toContain("Fourth &lt;!channel&gt; &lt;@U123&gt; &lt;https://evil.example|click&gt;");
  await waitFor("Request removal", () => buttonsOf(message.blocks).some((b) => b.action_id === ACTIONS.requestRemoval));
  const approval = await requestRemovalAndWait(h, OPERATOR, message, "Moved away <!here> see <https://evil.example|this>");
  await h.press(APPROVER, approval, ACTIONS.approve);
  await waitFor("the thread says removed", () => h.slack.messages.some((m) => m.threadTs === message.ts && m.text.includes("is removed")));
  await waitFor("the requester's DM", () => h.slack.directMessages(OPERATOR.id).some((m) => m.text.includes("is removed")));
  // the replies that name the customer: the audit trail, the relink link, and opening it again
  for (const text of ["audit fourthcoffee.onmicrosoft.com", "relink fourthcoffee.onmicrosoft.com", "fourthcoffee.onmicrosoft.com", "onmicrosoft"]) {
    const before = h.slack.ephemerals.length;
    await h.command(OPERATOR, text);
    await waitFor(`the answer to ${text}`, () => h.slack.ephemerals.slice(before).find((e) => e.user === OPERATOR.id));
  }
  await h.sender.appHomeOpened(OPERATOR);
  await waitFor("home", () => h.slack.homeViews.get(OPERATOR.id));
  await h.app.slack.settle();

  const texts = renderedTexts();
  expect(texts.filter((t) => t.includes("Fourth &lt;!channel&gt;")).length).toBeGreaterThan(8);
  expect(texts.filter((t) => RAW_MARKUP.test(t))).toEqual([]);
  expect(textOf(approval.blocks)).toContain("Moved away &lt;!here&gt; see &lt;https://evil.example|this&gt;");
});

test("a rejection reason with markup is escaped on the card, in the thread and in the requester's DM", async () => {
  await h.command(OPERATOR, "Coho Winery");
  const message = await waitFor("case message", () => h.slack.channelMessages(OPS_CHANNEL).find((m) => m.text.includes("Coho Winery")));
  await h.press(OPERATOR, message, ACTIONS.suspendAll);
  await waitFor("Request removal", () => buttonsOf(message.blocks).some((b) => b.action_id === ACTIONS.requestRemoval), 30_000);
  const approval = await requestRemovalAndWait(h, OPERATOR, message);
  await reject(h, APPROVER, approval, "No <!channel> way, ask <@U123>");
  await waitFor("the requester's DM", () => h.slack.directMessages(OPERATOR.id).some((m) => m.text.includes("No &lt;!channel&gt; way, ask &lt;@U123&gt;")));
  await h.app.slack.settle();
  expect(renderedTexts().filter((t) => RAW_MARKUP.test(t))).toEqual([]);
});

describe("requests from outside", () => {
  const post = (body: string, contentType: string, signed = true) =>
    fetch(`${h.app.url}/slack/events`, { method: "POST", headers: { "content-type": contentType, ...(signed ? signSlackRequest(h.signingSecret, body) : {}) }, body });
  const form = (payload: unknown) => new URLSearchParams({ payload: JSON.stringify(payload) }).toString();
  const user = { id: OPERATOR.id, team_id: "TLOCAL" };

  test("a signed request of a shape Slack never sends gets 400, not 500, and no error-level log line", async () => {
    // the earlier tests' work behind their acks done first: its log lines are not this test's
    await h.app.slack.settle();
    const errorsBefore = h.logs.filter((l) => l.includes('"level":50')).length;
    const cases: Array<[string, string]> = [
      // a view submission without view.state
      [form({ type: "view_submission", user, view: { id: "V1", callback_id: "reject_reason", private_metadata: "{}" } }), "application/x-www-form-urlencoded"],
      // a slash command as JSON
      [JSON.stringify({ command: "/offboard", text: "status", user_id: OPERATOR.id, channel_id: OPS_CHANNEL, team_id: "TLOCAL", response_url: "http://127.0.0.1:1/x", trigger_id: "1" }), "application/json"],
      // an interaction this app never offers
      [form({ type: "message_action", user, callback_id: "x", trigger_id: "1" }), "application/x-www-form-urlencoded"],
      // a button press without its actions
      [form({ type: "block_actions", user, trigger_id: "1", actions: [] }), "application/x-www-form-urlencoded"],
      // a payload that is not JSON
      ["payload=%7Bnot-json", "application/x-www-form-urlencoded"],
    ];
    for (const [body, type] of cases) expect((await post(body, type)).status).toBe(400);
    // unsigned, the same bodies are simply not Slack's: 401
    expect((await post(cases[0]?.[0] ?? "", "application/x-www-form-urlencoded", false)).status).toBe(401);
    expect(h.logs.filter((l) => l.includes('"level":50')).length).toBe(errorsBefore);
  });

  test("a button value with a key we never put there is refused and does nothing", async () => {
    const c = await h.app.store.cases.findActiveByTenant(DEMO_TENANTS.ordinaryAlpine);
    expect(c).toBeNull();
    const before = h.slack.ephemerals.filter((e) => e.user === OPERATOR.id).length;
    const value = JSON.stringify({ t: DEMO_TENANTS.ordinaryAlpine, admin: true });
    await h.sender.blockAction(OPERATOR, OPS_CHANNEL, "1700000000.000100", { action_id: ACTIONS.pickCustomer, value }, h.slack.createResponseUrl(h.slackUrl, OPS_CHANNEL, OPERATOR.id));
    expect((await waitFor("refusal", () => h.slack.ephemerals.filter((e) => e.user === OPERATOR.id)[before])).text).toContain("not valid");
    expect(await h.app.store.cases.findActiveByTenant(DEMO_TENANTS.ordinaryAlpine)).toBeNull();
  });

  test("paths that are not ours get a plain 404, logged below error level", async () => {
    const errorsBefore = h.logs.filter((l) => l.includes('"level":50') || l.includes('"level":40')).length;
    for (const [method, path] of [["GET", "/nope"], ["GET", "/slack/events"], ["POST", "/slack/other"], ["GET", "/.env"]] as const) {
      expect((await fetch(`${h.app.url}${path}`, { method })).status).toBe(404);
    }
    expect(h.logs.filter((l) => l.includes('"level":50') || l.includes('"level":40')).length).toBe(errorsBefore);
  });

  test("a person without rights sees no customer names in answers either", async () => {
    const before = h.slack.ephemerals.filter((e) => e.user === BYSTANDER.id).length;
    await h.command(BYSTANDER, "onmicrosoft");
    expect(textOf([(await waitFor("refusal", () => h.slack.ephemerals.filter((e) => e.user === BYSTANDER.id)[before]))])).not.toContain("Coffee");
  });
});
