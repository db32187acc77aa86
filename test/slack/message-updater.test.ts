// The updater against the Slack stand-in: the message must end up showing the latest change,
// even when reading an earlier change takes longer than reading the later one.
import http from "node:http";
import type { AddressInfo } from "node:net";
import { WebClient } from "@slack/web-api";
import { evaluatePreconditions, type CaseState } from "../../src/domain";
import { caseMessage } from "../../src/slack/blocks/case-message";
import { CasePlacement } from "../../src/slack/case-placement";
import { SlackMessageUpdater } from "../../src/slack/message-updater";
import { LocalSlackApi } from "../../src/stand-ins/slack/local-slack-api";
import type { StoredCase } from "../../src/store";
import { silentLogger } from "../../src/logger";
import type { CaseView, Outcome } from "../../src/workflow";
import { NOW, caseIn, legacySubscription, snapshot } from "../domain/fixtures";

const token = "xoxb-updater-test";
const slack = new LocalSlackApi(token);
const server = http.createServer((req, res) => void slack.handle(req, res));
let client: WebClient;

beforeAll(async () => {
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  client = new WebClient(token, { slackApiUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/`, retryConfig: { retries: 0 } });
});
afterAll(async () => new Promise<void>((resolve) => server.close(() => resolve())));

function viewIn(state: CaseState, ref: { channelId: string; ts: string }): CaseView {
  const removalCase: StoredCase = { ...caseIn(state), caseMessage: ref, approvalMessage: null, batchId: null };
  const snap = snapshot();
  return { removalCase, snapshot: snap, preconditions: evaluatePreconditions(snap, NOW), job: null };
}

/** A case message posted to the stand-in, as the app's would be. */
async function postedCaseMessage(): Promise<{ channelId: string; ts: string }> {
  const posted = await client.chat.postMessage({ channel: "C0OFFBOARD", text: "case" });
  return { channelId: "C0OFFBOARD", ts: String(posted.ts) };
}

/** A workflow whose every read shows the case in `state`, counting the reads. */
function readsShowing(state: CaseState, ref: { channelId: string; ts: string }) {
  const workflow = {
    reads: 0,
    viewCase: async (): Promise<Outcome<CaseView>> => {
      workflow.reads += 1;
      return { ok: true, value: viewIn(state, ref) };
    },
  };
  return workflow;
}

test("a slow read for an earlier change does not overwrite the message after a later one", async () => {
  const ref = await postedCaseMessage();
  // the first read (the request) is slow; the second (the rejection) answers at once
  const reads: Array<{ view: CaseView; delayMs: number }> = [
    { view: viewIn("awaiting_approval", ref), delayMs: 300 },
    { view: viewIn("rejected", ref), delayMs: 0 },
  ];
  const workflow = {
    viewCase: async (): Promise<Outcome<CaseView>> => {
      const next = reads.shift();
      if (!next) throw new Error("read more often than the case changed");
      await new Promise((resolve) => setTimeout(resolve, next.delayMs));
      return { ok: true, value: next.view };
    },
  };
  const updater = new SlackMessageUpdater(client, workflow, silentLogger, 0);
  updater.caseChanged("case-1", "removal_requested");
  updater.caseChanged("case-1", "rejected");
  await updater.settle();

  // the earlier change's view, ready last, is dropped rather than sent over the later one
  const message = slack.messages.find((m) => m.ts === ref.ts);
  expect(message?.updates).toBe(1);
  expect(message?.blocks).toEqual(caseMessage(viewIn("rejected", ref)).blocks);
  expect(message?.blocks).not.toEqual(caseMessage(viewIn("awaiting_approval", ref)).blocks);
});

test("a view handed on while still being read is not read again, and keeps its place among the changes", async () => {
  const ref = await postedCaseMessage();
  const workflow = readsShowing("rejected", ref);
  const updater = new SlackMessageUpdater(client, workflow, silentLogger, 0);
  // the use case hands on its read after the change, slower than the change after it
  const handedOn = new Promise<CaseView>((resolve) => setTimeout(() => resolve(viewIn("awaiting_approval", ref)), 300));
  updater.caseChanged("case-1", "removal_requested", handedOn);
  updater.caseChanged("case-1", "rejected");
  await updater.settle();

  expect(workflow.reads).toBe(1);
  const message = slack.messages.find((m) => m.ts === ref.ts);
  expect(message?.updates).toBe(1);
  expect(message?.blocks).toEqual(caseMessage(viewIn("rejected", ref)).blocks);
});

test("a view handed on that could not be read is read by the updater itself", async () => {
  const ref = await postedCaseMessage();
  const workflow = readsShowing("open", ref);
  const updater = new SlackMessageUpdater(client, workflow, silentLogger, 0);
  updater.caseChanged("case-1", "subscription_changed", Promise.resolve(null));
  await updater.settle();
  expect(workflow.reads).toBe(1);
  expect(slack.messages.find((m) => m.ts === ref.ts)?.blocks).toEqual(caseMessage(viewIn("open", ref)).blocks);
});

describe("an /offboard's render against the refresh of a change", () => {
  const SECOND = 1000;
  /** the case open, read from Partner Center at `readAt` with its one subscription `status` */
  function openView(ref: { channelId: string; ts: string }, readAt: number, status: "active" | "suspended", version = 3): CaseView {
    const view = viewIn("open", ref);
    const snap = snapshot({ subscriptions: [legacySubscription({ status })], takenAt: new Date(NOW.getTime() + readAt) });
    return { ...view, removalCase: { ...view.removalCase, version }, snapshot: snap, preconditions: evaluatePreconditions(snap, NOW) };
  }
  const placement = (updater: SlackMessageUpdater) =>
    new CasePlacement({ placeCaseMessage: async () => Promise.reject(new Error("the case message is in place: nothing is placed anew")) }, updater, undefined, silentLogger);
  const respond = async () => undefined;

  test("a render read before a suspension's refresh went out leaves the message as the refresh left it", async () => {
    const ref = await postedCaseMessage();
    const updater = new SlackMessageUpdater(client, readsShowing("open", ref), silentLogger, 0);
    // the /offboard read at 1 s; the suspension landed and its refresh, read at 2 s, went out first
    const suspended = openView(ref, 2 * SECOND, "suspended");
    updater.caseChanged("case-1", "subscription_changed", suspended);
    await updater.settle();
    await placement(updater).show(client, openView(ref, 1 * SECOND, "active"), ref.channelId, "U_OPERATOR", respond);

    const message = slack.messages.find((m) => m.ts === ref.ts);
    expect(message?.updates).toBe(1);
    expect(message?.blocks).toEqual(caseMessage(suspended).blocks);
  });

  test("a render read later, or of a later write to the case, is shown", async () => {
    const ref = await postedCaseMessage();
    const updater = new SlackMessageUpdater(client, readsShowing("open", ref), silentLogger, 0);
    updater.caseChanged("case-1", "subscription_changed", openView(ref, 2 * SECOND, "suspended"));
    await updater.settle();
    const later = openView(ref, 3 * SECOND, "active");
    await placement(updater).show(client, later, ref.channelId, "U_OPERATOR", respond);
    expect(slack.messages.find((m) => m.ts === ref.ts)?.blocks).toEqual(caseMessage(later).blocks);
    // a newer version of the case wins even when its Partner Center read is older
    const rewritten = openView(ref, 1 * SECOND, "suspended", 4);
    await placement(updater).show(client, rewritten, ref.channelId, "U_OPERATOR", respond);
    const message = slack.messages.find((m) => m.ts === ref.ts);
    expect(message?.updates).toBe(3);
    expect(message?.blocks).toEqual(caseMessage(rewritten).blocks);
  });
});
