// Who may act, safe by default: with no operator list every full member of the installing
// workspace operates, but never a guest or someone of another organisation in a Slack Connect
// channel (the facts come from users.info and the signed request; the domain decides). Reading
// needs rights too, and every refusal is audited.
import { DEMO_TENANTS } from "../../src/stand-ins/partner-center/demo-partner";
import type { SlackUser } from "../../src/stand-ins/slack/slack-request-signer";
import { ACTIONS } from "../../src/slack/slack-inputs";
import { PARTNER_TEAM_ID } from "../../src/stand-ins/slack/local-workspace";
import { APPROVAL_CHANNEL, APPROVER, BYSTANDER, type Harness, OPERATOR, OPS_CHANNEL, buttonsOf, startHarness, textOf, waitFor } from "../support/app-harness";
import { requestRemovalAndWait } from "../support/slack-steps";

const GUEST: SlackUser = { id: "U0GUEST", name: "gus.guest" };
const SINGLE_CHANNEL_GUEST: SlackUser = { id: "U0SINGLECH", name: "sam.single" };
const EXTERNAL: SlackUser = { id: "U0EXTERNAL", name: "erin.partner", teamId: PARTNER_TEAM_ID };
const DEACTIVATED: SlackUser = { id: "U0FORMER", name: "fred.former" };

const statusesOf = (h: Harness, tenantId: string) => h.emulator.snapshot().customers.find((c) => c.id === tenantId)?.subscriptions.map((s) => s.status);
const ephemeralsOf = (h: Harness, user: string) => h.slack.ephemerals.filter((e) => e.user === user);

async function nextEphemeral(h: Harness, user: SlackUser, before: number) {
  return waitFor(`an answer for ${user.name}`, () => ephemeralsOf(h, user.id)[before]);
}

async function caseMessageFor(h: Harness, companyName: string) {
  await h.command(OPERATOR, companyName);
  return waitFor(`case message for ${companyName}`, () => h.slack.channelMessages(OPS_CHANNEL).find((m) => m.text.includes(companyName)));
}

describe("with OPERATOR_USER_IDS unset (the default)", () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({ env: { OPERATOR_USER_IDS: "" } });
  });
  afterAll(async () => h.close());

  test("any full member operates: a colleague on no list opens a case", async () => {
    const before = h.slack.messages.length;
    await h.command(BYSTANDER, "Contoso Ltd");
    await waitFor("case message", () => h.slack.messages.slice(before).find((m) => m.text.includes("Contoso Ltd")));
  });

  test("a Slack Connect user and a guest pressing Suspend change nothing and are audited", async () => {
    const message = await caseMessageFor(h, "Contoso Ltd");
    const subscriptions = statusesOf(h, DEMO_TENANTS.legacyOnly);
    for (const [who, code] of [[EXTERNAL, "other_workspace"], [GUEST, "guest"], [SINGLE_CHANNEL_GUEST, "guest"], [DEACTIVATED, "not_a_person"]] as const) {
      const before = ephemeralsOf(h, who.id).length;
      expect((await h.press(who, message, ACTIONS.suspendSubscription)).status).toBe(200);
      expect((await nextEphemeral(h, who, before)).text).toMatch(/Nothing was done/);
      await h.press(who, message, ACTIONS.suspendAll);
      await nextEphemeral(h, who, before + 1);
      const refused = (await h.app.store.audit.listByTenant(DEMO_TENANTS.legacyOnly)).filter((e) => e.actor === who.id && e.outcome === "refused");
      expect(refused.map((e) => [e.action, e.detail.code])).toEqual(
        expect.arrayContaining([
          ["subscription.suspend", code],
          ["subscriptions.suspend_all", code],
        ]),
      );
    }
    await h.app.slack.settle();
    expect(statusesOf(h, DEMO_TENANTS.legacyOnly)).toEqual(subscriptions);
  });

  test("a guest and a Slack Connect user cannot open cases, list them, read the audit trail or search customers", async () => {
    for (const who of [GUEST, EXTERNAL]) {
      for (const text of ["Fourth Coffee", "status", "audit Contoso Ltd", "relink Contoso Ltd"]) {
        const before = ephemeralsOf(h, who.id).length;
        await h.command(who, text);
        const answer = await nextEphemeral(h, who, before);
        expect(answer.text).toMatch(/Only members of this workspace can use offboarding|Guests cannot use offboarding/);
        expect(textOf(answer.blocks)).not.toContain("Contoso");
      }
      // the refusals not about one customer are audited too
      const refused = await h.app.db.prisma.auditEvent.findMany({ where: { actor: who.id, outcome: "refused" } });
      expect(refused.map((e) => e.action)).toEqual(expect.arrayContaining(["customers.search", "cases.list"]));
    }
    expect(await h.app.store.cases.findActiveByTenant(DEMO_TENANTS.clean)).toBeNull();
  });

  test("an approver listed by id but from another organisation may not approve", async () => {
    // the external user is made an approver by mistake: the workspace rule still refuses
    const other = await startHarness({ env: { OPERATOR_USER_IDS: "", APPROVER_USER_IDS: `${EXTERNAL.id},${APPROVER.id}` } });
    try {
      await other.command(OPERATOR, "Fourth Coffee");
      const message = await waitFor("case message", () => other.slack.channelMessages(OPS_CHANNEL).find((m) => m.text.includes("Fourth Coffee")));
      await waitFor("Request removal", () => buttonsOf(message.blocks).some((b) => b.action_id === ACTIONS.requestRemoval));
      const approval = await requestRemovalAndWait(other, OPERATOR, message);
      expect(textOf(approval.blocks)).toContain(`<@${EXTERNAL.id}>`);
      const before = ephemeralsOf(other, EXTERNAL.id).length;
      await other.press(EXTERNAL, approval, ACTIONS.approve);
      expect((await nextEphemeral(other, EXTERNAL, before)).text).toContain("other organisations");
      expect((await other.app.store.cases.findActiveByTenant(DEMO_TENANTS.clean))?.state).toBe("awaiting_approval");
    } finally {
      await other.close();
    }
  });
});

describe("operators and approvers by user group", () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({
      env: { OPERATOR_USER_IDS: "", OPERATOR_USERGROUP_ID: "S0OPERATORS", APPROVER_USER_IDS: "", APPROVER_USERGROUP_ID: "S0APPROVERS" },
      usergroups: { S0OPERATORS: [OPERATOR.id], S0APPROVERS: [APPROVER.id] },
    });
  });
  afterAll(async () => h.close());

  test("members of the operators' group operate; a full member outside it neither operates nor reads", async () => {
    await h.command(OPERATOR, "Fourth Coffee");
    const message = await waitFor("case message", () => h.slack.channelMessages(OPS_CHANNEL).find((m) => m.text.includes("Fourth Coffee")));
    for (const text of ["Alpine Ski House", "status"]) {
      const before = ephemeralsOf(h, BYSTANDER.id).length;
      await h.command(BYSTANDER, text);
      expect((await nextEphemeral(h, BYSTANDER, before)).text).toMatch(/Only offboarding operators/);
    }
    // the request mentions the approvers' group, so its members are notified
    await waitFor("Request removal", () => buttonsOf(message.blocks).some((b) => b.action_id === ACTIONS.requestRemoval));
    const approval = await requestRemovalAndWait(h, OPERATOR, message);
    expect(approval.text).toContain("<!subteam^S0APPROVERS>");
    expect(textOf(approval.blocks)).toContain("<!subteam^S0APPROVERS>");
    expect(h.slack.channelMessages(APPROVAL_CHANNEL)).toHaveLength(1);
  });

  test("the Home tab shows someone without rights no cases", async () => {
    await h.sender.appHomeOpened(BYSTANDER);
    const view = await waitFor("home view", () => h.slack.homeViews.get(BYSTANDER.id));
    expect(JSON.stringify(view)).toContain("Only offboarding operators and approvers can see cases");
    expect(JSON.stringify(view)).not.toContain("Fourth Coffee");
  });
});
