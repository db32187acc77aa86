// The Slack stand-in keeps Slack's rules, so a test fails where real Slack would: where the bot
// may post, what a trigger_id and a response_url allow, Block Kit's limits, the scopes installed.
import { LogLevel, type Logger, WebClient } from "@slack/web-api";
import { LocalSlackApi, type LocalSlackServer, serveLocalSlackApi } from "../../src/stand-ins/slack/local-slack-api";
import { manifestBotScopes } from "../../src/doctor/manifest-scopes";
import { localWorkspace } from "../../src/stand-ins/slack/local-workspace";

const TOKEN = "xoxb-stand-in-test";
/** the client prints the reasons Slack gives; here they are what the tests read */
const quiet: Logger = { debug: () => undefined, info: () => undefined, warn: () => undefined, error: () => undefined, setLevel: () => undefined, getLevel: () => LogLevel.ERROR, setName: () => undefined };
let slack: LocalSlackApi;
let server: LocalSlackServer;
let client: WebClient;

async function start(workspace = {}) {
  slack = new LocalSlackApi(TOKEN, workspace);
  server = await serveLocalSlackApi(slack);
  client = new WebClient(TOKEN, { slackApiUrl: `${server.url}/api/`, retryConfig: { retries: 0 }, logger: quiet });
}

/** Slack's error code for a call, or "ok". */
async function outcome(call: Promise<unknown>): Promise<string> {
  try {
    await call;
    return "ok";
  } catch (error) {
    return (error as { data?: { error?: string } }).data?.error ?? String(error);
  }
}

const section = (text: string) => ({ type: "section", text: { type: "mrkdwn", text } });

describe("posting", () => {
  beforeAll(async () => start());
  afterAll(async () => server.close());

  test("the bot posts where it is a member, in public channels it is not in (chat:write.public), never in private ones it is not in", async () => {
    expect(await outcome(client.chat.postMessage({ channel: "C0OFFBOARD", text: "hi" }))).toBe("ok");
    expect(await outcome(client.chat.postMessage({ channel: "C0APPROVALS", text: "hi" }))).toBe("ok");
    expect(await outcome(client.chat.postMessage({ channel: "C0GENERAL", text: "hi" }))).toBe("ok");
    expect(await outcome(client.chat.postMessage({ channel: "C0PRIVATE", text: "hi" }))).toBe("channel_not_found");
    expect(await outcome(client.chat.postMessage({ channel: "D0OLIVALEX", text: "hi" }))).toBe("channel_not_found");
    expect(await outcome(client.chat.postMessage({ channel: "C0NOWHERE", text: "hi" }))).toBe("channel_not_found");
  });

  test("posting to a user id opens the app's DM with them; a deactivated account's does not", async () => {
    const posted = await client.chat.postMessage({ channel: "U0OLIVIA", text: "hello" });
    expect(posted.channel).toMatch(/^D/);
    expect(slack.directMessages("U0OLIVIA").map((m) => m.text)).toEqual(["hello"]);
    expect(await outcome(client.chat.postMessage({ channel: "U0FORMER", text: "hello" }))).toBe("user_disabled");
  });

  test("an ephemeral needs the person in the channel", async () => {
    expect(await outcome(client.chat.postEphemeral({ channel: "C0OFFBOARD", user: "U0OLIVIA", text: "psst" }))).toBe("ok");
    expect(await outcome(client.chat.postEphemeral({ channel: "C0APPROVALS", user: "U0GUEST", text: "psst" }))).toBe("user_not_in_channel");
  });

  test("a bot removed from a private channel cannot post there any more", async () => {
    slack.workspace.setBotMember("C0APPROVALS", false);
    try {
      expect(await outcome(client.chat.postMessage({ channel: "C0APPROVALS", text: "hi" }))).toBe("channel_not_found");
      expect(await outcome(client.conversations.info({ channel: "C0APPROVALS" }))).toBe("channel_not_found");
    } finally {
      slack.workspace.setBotMember("C0APPROVALS", true);
    }
    expect((await client.conversations.info({ channel: "C0APPROVALS" })).channel).toMatchObject({ is_private: true, is_member: true });
  });

  test("a reply in a thread needs its parent", async () => {
    expect(await outcome(client.chat.postMessage({ channel: "C0OFFBOARD", thread_ts: "1.000001", text: "reply" }))).toBe("thread_not_found");
  });
});

describe("Block Kit limits", () => {
  beforeAll(async () => start());
  afterAll(async () => server.close());

  const post = (blocks: unknown[]) => outcome(client.chat.postMessage({ channel: "C0OFFBOARD", text: "t", blocks: blocks as never }));
  const button = (action_id: string, extra: Record<string, unknown> = {}) => ({ type: "button", action_id, text: { type: "plain_text", text: "Go" }, ...extra });

  test("within the limits is taken; past any of them is invalid_blocks", async () => {
    expect(await post(Array.from({ length: 50 }, (_, i) => section(`line ${i}`)))).toBe("ok");
    expect(await post(Array.from({ length: 51 }, (_, i) => section(`line ${i}`)))).toBe("invalid_blocks");
    expect(await post([section("x".repeat(3001))])).toBe("invalid_blocks");
    expect(await post([{ type: "header", text: { type: "plain_text", text: "x".repeat(151) } }])).toBe("invalid_blocks");
    expect(await post([{ type: "header", text: { type: "mrkdwn", text: "bold" } }])).toBe("invalid_blocks");
    expect(await post([{ type: "section", fields: Array.from({ length: 11 }, () => ({ type: "mrkdwn", text: "f" })) }])).toBe("invalid_blocks");
    expect(await post([{ type: "actions", elements: Array.from({ length: 26 }, (_, i) => button(`b.${i}`)) }])).toBe("invalid_blocks");
    expect(await post([{ type: "actions", elements: [button("b", { text: { type: "plain_text", text: "x".repeat(76) } })] }])).toBe("invalid_blocks");
    expect(await post([{ type: "actions", elements: [button("b", { value: "x".repeat(2001) })] }])).toBe("invalid_blocks");
    expect(await post([{ type: "actions", elements: [button("b", { accessibility_label: "x".repeat(76) })] }])).toBe("invalid_blocks");
    // the same action_id twice in one message
    expect(await post([{ type: "actions", elements: [button("same")] }, { type: "actions", elements: [button("same")] }])).toBe("invalid_blocks");
    // a confirm dialog is plain text
    const confirm = { title: { type: "plain_text", text: "Sure?" }, text: { type: "mrkdwn", text: "*really*" }, confirm: { type: "plain_text", text: "Yes" }, deny: { type: "plain_text", text: "No" } };
    expect(await post([{ type: "actions", elements: [button("b", { confirm })] }])).toBe("invalid_blocks");
    expect(await post([{ type: "video" }])).toBe("invalid_blocks");
    expect(await outcome(client.chat.postMessage({ channel: "C0OFFBOARD", text: "x".repeat(40_001) }))).toBe("msg_too_long");
  });

  test("the reasons come back as Slack gives them", async () => {
    const answer = await client.chat.postMessage({ channel: "C0OFFBOARD", text: "t", blocks: [section("x".repeat(3001))] as never }).catch((error: { data: unknown }) => error.data);
    expect(answer).toMatchObject({ ok: false, error: "invalid_blocks", response_metadata: { messages: [expect.stringContaining("[json-pointer:/blocks/0/text/text]")] } });
  });
});

describe("interactions", () => {
  beforeAll(async () => start());
  afterAll(async () => server.close());

  const modal = { type: "modal", title: { type: "plain_text", text: "Hello" }, close: { type: "plain_text", text: "Close" }, blocks: [section("hi")] };

  test("a trigger_id opens one view, within 3 seconds, and only if Slack issued it", async () => {
    const fresh = slack.issueTrigger("U0ALEX");
    expect(await outcome(client.views.open({ trigger_id: fresh, view: modal as never }))).toBe("ok");
    expect(await outcome(client.views.open({ trigger_id: fresh, view: modal as never }))).toBe("exchanged_trigger_id");
    expect(await outcome(client.views.open({ trigger_id: slack.issueTrigger("U0ALEX", { ageMs: 3_100 }), view: modal as never }))).toBe("expired_trigger_id");
    expect(await outcome(client.views.open({ trigger_id: "1.2.made-up", view: modal as never }))).toBe("invalid_trigger_id");
    expect(slack.openModals.at(-1)?.user).toBe("U0ALEX");
  });

  test("a modal's title is at most 24 characters, and one with inputs needs a submit button", async () => {
    expect(await outcome(client.views.open({ trigger_id: slack.issueTrigger("U0ALEX"), view: { ...modal, title: { type: "plain_text", text: "x".repeat(25) } } as never }))).toBe("invalid_blocks");
    const input = { type: "input", block_id: "i", label: { type: "plain_text", text: "Why" }, element: { type: "plain_text_input", action_id: "why" } };
    expect(await outcome(client.views.open({ trigger_id: slack.issueTrigger("U0ALEX"), view: { ...modal, blocks: [input] } as never }))).toBe("invalid_blocks");
  });

  test("a response_url takes 5 posts within 30 minutes", async () => {
    const post = (url: string) => fetch(url, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ text: "ok", response_type: "ephemeral" }) });
    const url = slack.createResponseUrl(server.url, "C0OFFBOARD", "U0OLIVIA");
    for (let i = 0; i < 5; i += 1) expect((await post(url)).status).toBe(200);
    const sixth = await post(url);
    expect(sixth.status).toBe(404);
    expect(await sixth.json()).toEqual({ ok: false, error: "used_url" });
    const old = slack.createResponseUrl(server.url, "C0OFFBOARD", "U0OLIVIA", { ageMs: 31 * 60_000 });
    expect(await (await post(old)).json()).toEqual({ ok: false, error: "expired_url" });
  });
});

describe("who is who, and scopes", () => {
  afterEach(async () => server.close());

  test("users.info tells guests, people of another organisation and deactivated accounts; auth.test names the workspace", async () => {
    await start();
    expect((await client.auth.test()).team_id).toBe("TLOCAL");
    expect((await client.users.info({ user: "U0GUEST" })).user).toMatchObject({ is_restricted: true, is_ultra_restricted: false, team_id: "TLOCAL" });
    expect((await client.users.info({ user: "U0SINGLECH" })).user).toMatchObject({ is_restricted: true, is_ultra_restricted: true });
    expect((await client.users.info({ user: "U0EXTERNAL" })).user).toMatchObject({ team_id: "TPARTNER", is_stranger: true });
    expect((await client.users.info({ user: "U0FORMER" })).user).toMatchObject({ deleted: true });
    expect(await outcome(client.users.info({ user: "U0NOBODY" }))).toBe("user_not_found");
  });

  test("the scopes granted are the manifest's; a method without its scope is missing_scope", async () => {
    expect(localWorkspace().scopes).toEqual(manifestBotScopes());
    await start({ scopes: ["commands", "chat:write"] });
    expect(await outcome(client.users.info({ user: "U0OLIVIA" }))).toBe("missing_scope");
    expect(await outcome(client.conversations.info({ channel: "C0OFFBOARD" }))).toBe("missing_scope");
    // without chat:write.public, a public channel the bot is not in refuses
    expect(await outcome(client.chat.postMessage({ channel: "C0GENERAL", text: "hi" }))).toBe("not_in_channel");
  });

  test("a wrong token is invalid_auth", async () => {
    await start();
    const stranger = new WebClient("xoxb-wrong", { slackApiUrl: `${server.url}/api/`, retryConfig: { retries: 0 }, logger: quiet });
    expect(await outcome(stranger.auth.test())).toBe("invalid_auth");
  });
});
