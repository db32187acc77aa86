// The App Home's admin section: approvers (the admins, src/domain/policy.ts checkAdmin) see the
// set-up checks of `npm run doctor`, ✔/✘ with the fix under each ✘ and when they ran, reused
// between opens rather than run each time; "Run checks again" runs them and publishes the Home
// again. Anyone else sees no such section, and pressing its button anyway is refused and audited.
import { ACTIONS, encodeValue } from "../../src/slack/slack-inputs";
import { APPROVAL_CHANNEL, APPROVER, type Harness, OPERATOR, buttonsOf, startHarness, textOf, waitFor } from "../support/app-harness";

interface HomeView {
  blocks: unknown[];
}

let h: Harness;

beforeAll(async () => {
  h = await startHarness();
});
afterAll(async () => h.close());

const homeOf = (userId: string) => h.slack.homeViews.get(userId) as HomeView | undefined;
const authTests = () => h.slack.calls.filter((c) => c.method === "auth.test").length;

/** The user's Home once it satisfies `check` (published again after a run of the checks ends). */
function homeWhere(userId: string, what: string, check: (text: string) => boolean): Promise<HomeView> {
  return waitFor(what, () => {
    const view = homeOf(userId);
    return view && check(textOf(view.blocks)) ? view : undefined;
  });
}

async function auditCount(action: string, outcome: string, actor: string): Promise<number> {
  const rows = await h.app.db.pool.query<{ n: number }>(`SELECT count(*)::int AS n FROM "AuditEvent" WHERE "action" = $1 AND "outcome" = $2 AND "actor" = $3`, [action, outcome, actor]);
  return rows.rows[0]?.n ?? 0;
}

test("an approver's Home lists every check with ✔ and when it ran; opening it again reuses that run", async () => {
  await h.sender.appHomeOpened(APPROVER);
  // the first open finds no run yet: one starts in the background, and the Home is published again when it ends
  const home = await homeWhere(APPROVER.id, "the checks on the approver's Home", (text) => text.includes("All checks passed"));
  const text = textOf(home.blocks);
  expect(text).toContain("*Set-up checks*");
  for (const name of ["Database", "Slack: bot token (auth.test)", "Slack: bot scopes", `Slack: approvals channel ${APPROVAL_CHANNEL}`, "Slack: approvers"]) {
    expect(text).toContain(`✔ *${name}*`);
  }
  expect(text).not.toContain("✘");
  // when they ran: an age each reader's Slack renders, and the time itself
  expect(text).toMatch(/Checked <!date\^\d+\^\{ago\}\|/);
  expect(buttonsOf(home.blocks).find((b) => b.action_id === ACTIONS.rerunSetupChecks)?.id).toBe(ACTIONS.rerunSetupChecks);
  // never a secret, whatever the checks found
  expect(JSON.stringify(home)).not.toContain(h.botToken);
  expect(JSON.stringify(home)).not.toContain(h.signingSecret);

  // a fresh run is reused: opening the Home again asks Slack nothing the checks ask
  await h.app.slack.settle();
  const before = authTests();
  const publishes = h.slack.calls.filter((c) => c.method === "views.publish").length;
  await h.sender.appHomeOpened(APPROVER);
  await waitFor("the Home published again", () => h.slack.calls.filter((c) => c.method === "views.publish").length > publishes);
  await h.app.slack.settle();
  expect(authTests()).toBe(before);
  expect(textOf(homeOf(APPROVER.id)?.blocks ?? [])).toContain("All checks passed");
});

test("with the bot out of the approvals channel, Run checks again shows its ✘ line and the fix", async () => {
  await h.sender.appHomeOpened(APPROVER);
  const home = await homeWhere(APPROVER.id, "the approver's Home with the checks", (text) => text.includes("*Set-up checks*") && text.includes("✔"));
  h.slack.workspace.setBotMember(APPROVAL_CHANNEL, false);
  try {
    const rerun = buttonsOf(home.blocks).find((b) => b.action_id === ACTIONS.rerunSetupChecks);
    const before = authTests();
    expect((await h.sender.homeBlockAction(APPROVER, `VHOME${APPROVER.id}`, { action_id: String(rerun?.id), value: String(rerun?.value) })).status).toBe(200);
    const failing = await homeWhere(APPROVER.id, "the ✘ line", (text) => text.includes(`✘ *Slack: approvals channel ${APPROVAL_CHANNEL}*`));
    const text = textOf(failing.blocks);
    expect(text).toContain("1 check failed");
    expect(text).toMatch(/✘ \*Slack: approvals channel C0APPROVALS\*: Slack says channel_not_found[^\n]*?\\n\s+_Fix:_ [^\n]*\/invite @offboarding/);
    // the other checks still pass, listed after the failure
    expect(text).toContain("✔ *Database*");
    expect(authTests()).toBe(before + 1);
    expect(await auditCount("setup.checked", "failed", APPROVER.id)).toBe(1);
  } finally {
    h.slack.workspace.setBotMember(APPROVAL_CHANNEL, true);
  }
});

test("a non-approver sees no admin section, and the button pressed anyway is refused and audited", async () => {
  await h.sender.appHomeOpened(OPERATOR);
  const home = await homeWhere(OPERATOR.id, "the operator's Home", (text) => text.includes("Your open cases"));
  await h.app.slack.settle();
  const text = textOf(homeOf(OPERATOR.id)?.blocks ?? home.blocks);
  expect(text).not.toContain("Set-up checks");
  expect(text).not.toContain("✔");
  expect(buttonsOf(home.blocks).some((b) => b.action_id === ACTIONS.rerunSetupChecks)).toBe(false);

  const dms = h.slack.directMessages(OPERATOR.id).length;
  const before = authTests();
  await h.sender.homeBlockAction(OPERATOR, `VHOME${OPERATOR.id}`, { action_id: ACTIONS.rerunSetupChecks, value: encodeValue({}) });
  const told = await waitFor("the refusal by DM", () => h.slack.directMessages(OPERATOR.id)[dms]);
  expect(told.text).toContain("Only approvers can see or re-run the app's set-up checks");
  expect(await auditCount("setup.check", "refused", OPERATOR.id)).toBe(1);
  await h.app.slack.settle();
  expect(authTests()).toBe(before);
});
