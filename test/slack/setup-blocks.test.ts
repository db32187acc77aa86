// The admin section's words: outside text escaped, a token shape masked should one ever reach a
// check's words, failures first, and never more blocks than the Home tab can spare.
import { setupBlocks } from "../../src/slack/blocks/setup-blocks";
import { homeView } from "../../src/slack/blocks/info-messages";
import type { SetupCheckLine } from "../../src/workflow";

const at = new Date("2026-01-02T03:04:05Z");

test("each ✘ carries its fix, escaped; tokens are masked; failures come first", () => {
  const checks: SetupCheckLine[] = [
    { name: "Database", status: "ok", detail: "answers" },
    { name: "Slack: bot token (auth.test)", status: "failed", detail: "Slack says invalid_auth for xoxb-1234-abcd <!channel>", fix: "set SLACK_BOT_TOKEN to the bot token & reinstall" },
  ];
  const text = JSON.stringify(setupBlocks({ report: { checkedAt: at, checks }, running: false }));
  expect(text).toContain("✘ *Slack: bot token (auth.test)*: Slack says invalid_auth for [hidden] &lt;!channel&gt;\\n      _Fix:_ set SLACK_BOT_TOKEN to the bot token &amp; reinstall");
  expect(text).not.toContain("xoxb-");
  expect(text.indexOf("✘")).toBeLessThan(text.indexOf("✔ *Database*"));
  expect(text).toContain("1 check failed");
});

test("before the first run: says it is running, or that nothing was checked yet", () => {
  expect(JSON.stringify(setupBlocks({ report: null, running: true }))).toContain("Running the checks now");
  expect(JSON.stringify(setupBlocks({ report: null, running: false }))).toContain("Not checked yet");
});

test("many long checks stay within a few blocks, and the Home within 100 with 40 cases listed", () => {
  const checks: SetupCheckLine[] = Array.from({ length: 60 }, (_, n) => ({ name: `Check ${n}`, status: "failed", detail: "x".repeat(400), fix: "y".repeat(400) }));
  const blocks = setupBlocks({ report: { checkedAt: at, checks }, running: false });
  expect(blocks.length).toBeLessThanOrEqual(8);
  for (const block of blocks as Array<{ text?: { text: string } }>) expect((block.text?.text ?? "").length).toBeLessThanOrEqual(3000);
  const c = { id: "c", companyName: "Name", state: "awaiting_approval", requestedBy: "U0OLIVIA", requestedAt: at, expiresAt: at, justification: "why" };
  const cases = Array.from({ length: 40 }, (_, n) => ({ ...c, id: `00000000-0000-4000-8000-0000000000${String(n).padStart(2, "0")}` }));
  const batches = Array.from({ length: 12 }, (_, n) => ({ id: `b${n}`, requestedBy: "U0OLIVIA", customers: 50, expiresAt: at, justification: "z".repeat(400), card: { channelId: "C0APPROVALS", ts: "1.2" } }));
  const view = homeView({ mayRead: true, myCases: cases, awaitingMe: cases, batchesAwaitingMe: batches, isApprover: true, warnings: [], setup: { report: { checkedAt: at, checks }, running: false } } as unknown as Parameters<typeof homeView>[0], "U0ALEX");
  expect(view.blocks.length).toBeLessThanOrEqual(100);
  expect(JSON.stringify(view.blocks)).toContain("*Set-up checks*");
});
