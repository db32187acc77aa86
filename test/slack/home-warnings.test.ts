// The App Home tells an approver (who acts as admin) what will fail with the credentials as they
// are, e.g. no App+User token, so removals would fail; others see no such line.
import { homeView } from "../../src/slack/blocks/info-messages";

const empty = { mayRead: true, myCases: [], awaitingMe: [], batchesAwaitingMe: [], setup: null, gdapEnabled: true };

test("an approver's home leads with each credential warning, escaped", () => {
  const view = homeView({ ...empty, isApprover: true, warnings: ["No App+User token can be had, so removals and the relink link will fail: <refused>"] }, "U0ALEX");
  const text = JSON.stringify(view.blocks);
  expect(text).toContain(":warning: *Partner Center credentials:* No App+User token can be had, so removals and the relink link will fail: &lt;refused&gt;");
  expect(view.blocks[1]).toMatchObject({ type: "section" });
});

test("no warnings, no warning line", () => {
  expect(JSON.stringify(homeView({ ...empty, isApprover: true, warnings: [] }, "U0ALEX").blocks)).not.toContain(":warning:");
  expect(JSON.stringify(homeView({ ...empty, isApprover: false, warnings: [] }, "U0OLIVIA").blocks)).not.toContain(":warning:");
});
