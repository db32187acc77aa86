// The Home tab against the Slack stand-in: a republish after a change and an open of the tab at
// the same moment must leave the Home showing the later read, even when the earlier read is slower.
import http from "node:http";
import type { AddressInfo } from "node:net";
import { WebClient } from "@slack/web-api";
import { HomePublisher } from "../../src/slack/home-publisher";
import { LocalSlackApi } from "../../src/stand-ins/slack/local-slack-api";
import { silentLogger } from "../../src/logger";
import type { HomeSummary } from "../../src/workflow";
import { caseIn } from "../domain/fixtures";
import { textOf } from "../support/app-harness";

const token = "xoxb-home-test";
const slack = new LocalSlackApi(token);
const server = http.createServer((req, res) => void slack.handle(req, res));
let client: WebClient;
const USER = "U0OLIVIA";

beforeAll(async () => {
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  client = new WebClient(token, { slackApiUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/`, retryConfig: { retries: 0 } });
});
afterAll(async () => new Promise<void>((resolve) => server.close(() => resolve())));

function summary(companyName: string): HomeSummary {
  return { mayRead: true, myCases: [{ ...caseIn("open"), companyName, caseMessage: null, approvalMessage: null, batchId: null }], awaitingMe: [], batchesAwaitingMe: [], isApprover: false, warnings: [], gdapEnabled: false, setup: null };
}

test("an earlier, slower read does not land after a later one", async () => {
  // the first read (before the change) is slow; the second (after it) answers at once
  const reads = [
    { shows: "Before the change", delayMs: 300 },
    { shows: "After the change", delayMs: 0 },
  ];
  const workflow = {
    homeFor: async () => {
      const next = reads.shift();
      if (!next) throw new Error("read more often than published");
      await new Promise((resolve) => setTimeout(resolve, next.delayMs));
      return summary(next.shows);
    },
    cleanupCandidates: async () => undefined,
  };
  const publisher = new HomePublisher(client, workflow, silentLogger, 0);
  const first = publisher.opened(USER);
  await new Promise((resolve) => setTimeout(resolve, 20));
  await Promise.all([first, publisher.opened(USER)]);
  const view = slack.homeViews.get(USER) as { blocks: unknown[] } | undefined;
  expect(textOf(view?.blocks ?? [])).toContain("After the change");
});
