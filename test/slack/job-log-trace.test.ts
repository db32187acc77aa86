// A job's log lines name what an operator needs to follow one press end to end: the Slack
// request (its trigger_id), the case, and the MS-RequestIds of the Partner Center calls it made.
import { ACTIONS } from "../../src/slack/slack-inputs";
import { parseLine } from "../support/app-process";
import { type Harness, OPERATOR, OPS_CHANNEL, startHarness, waitFor } from "../support/app-harness";

let h: Harness;

beforeAll(async () => {
  h = await startHarness();
});
afterAll(async () => h.close());

test("the log line of a worked press carries the Slack request id, the case id and Partner Center's request ids", async () => {
  await h.command(OPERATOR, "Fourth Coffee");
  const message = await waitFor("case message", () => h.slack.messages.find((m) => m.channel === OPS_CHANNEL && m.text.includes("Fourth Coffee")));
  const recheck = await waitFor("Re-check button", () => (message.blocks as Array<{ elements?: Array<{ action_id?: string; value?: string }> }>).flatMap((b) => b.elements ?? []).find((e) => e.action_id === ACTIONS.recheck));
  const caseId = (JSON.parse(recheck.value ?? "{}") as { c?: string }).c;
  expect(caseId).toBeTruthy();

  const triggerId = `4242.${Date.now()}.tracecheck`;
  const before = new Set(h.emulator.requests().map((r) => r.requestId));
  const response = await h.sender.blockAction(OPERATOR, OPS_CHANNEL, message.ts, { action_id: ACTIONS.recheck, value: recheck.value ?? "" }, h.slack.createResponseUrl(h.slackUrl, OPS_CHANNEL, OPERATOR.id), { triggerId });
  expect(response.status).toBe(200);

  const worked = await waitFor("the job's log line", () =>
    h.logs.map(parseLine).find((line): line is Record<string, unknown> => line?.["msg"] === "job worked" && line["slackRequestId"] === triggerId),
  );
  expect(worked["caseId"]).toBe(caseId);
  const logged = worked["partnerCenterRequestIds"] as string[];
  // the re-check read the customer from Partner Center: those calls, by the ids the emulator saw
  const made = h.emulator.requests().map((r) => r.requestId).filter((id): id is string => id !== undefined && !before.has(id));
  expect(logged.length).toBeGreaterThan(0);
  expect(made).toEqual(expect.arrayContaining(logged));
});
