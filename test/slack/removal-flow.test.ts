// The Slack front end driven as Slack drives it: signed requests into the real Bolt receiver,
// the app's Web API calls answered by a local stand-in, Partner Center played by the emulator.
import { DEMO_TENANTS } from "../../src/stand-ins/partner-center/demo-partner";
import { signSlackRequest } from "../../src/stand-ins/slack/slack-request-signer";
import { ACTIONS } from "../../src/slack/slack-inputs";
import { APPROVAL_CHANNEL, APPROVER, BYSTANDER, type Harness, OPERATOR, OPS_CHANNEL, SECOND_APPROVER, buttonsOf, startHarness, textOf, waitFor } from "../support/app-harness";
import { hasButton, nextModal, openCase, reject, requestRemovalAndWait, requestRemovalFor } from "../support/slack-steps";

let h: Harness;

beforeAll(async () => {
  h = await startHarness();
});
afterAll(async () => h.close());

const removalCalls = () => h.emulator.stats().byRoute["PATCH /customers/{id}"] ?? 0;
const relationshipOf = (tenantId: string) => h.emulator.snapshot().customers.find((c) => c.id === tenantId)?.relationshipToPartner;
const ephemeralCount = (user: string) => h.slack.ephemerals.filter((e) => e.user === user).length;

async function nextEphemeral(user: string, before: number, what: string) {
  return waitFor(what, () => h.slack.ephemerals.filter((e) => e.user === user)[before]);
}

describe("the removal flow in Slack", () => {
  test("/offboard → Suspend all → Request removal → Approve by another user → removed → relink offered", async () => {
    const tenant = DEMO_TENANTS.legacyOnly;
    const message = await openCase(h, "Contoso Ltd");
    // blockers with their buttons; Request removal inactive, as in Partner Center
    expect(hasButton(message, ACTIONS.suspendSubscription)).toBe(true);
    expect(hasButton(message, ACTIONS.suspendAll)).toBe(true);
    expect(hasButton(message, ACTIONS.requestRemoval)).toBe(false);
    expect(textOf(message.blocks)).toContain("Remove reseller relationship is inactive");
    expect(textOf(message.blocks)).toContain("delegated admin privileges");
    // every destructive button asks first
    const suspendAll = buttonsOf(message.blocks).find((b) => b.action_id === ACTIONS.suspendAll) as { confirm?: { text: { text: string } } };
    expect(suspendAll.confirm?.text.text).toContain("Contoso Ltd");

    const ack = await h.press(OPERATOR, message, ACTIONS.suspendAll);
    expect(ack.status).toBe(200);
    await waitFor("every subscription suspended", () =>
      h.emulator.snapshot().customers.find((c) => c.id === tenant)?.subscriptions.every((s) => s.status !== "active"),
    );
    await waitFor("Request removal offered", () => hasButton(message, ACTIONS.requestRemoval));
    expect(textOf(message.blocks)).toMatch(/3 \/ 3/);

    const approval = await requestRemovalAndWait(h, OPERATOR, message);
    expect(textOf(approval.blocks)).toContain(`<@${OPERATOR.id}>`);
    expect(textOf(approval.blocks)).toContain("Contoso Ltd");
    expect(textOf(approval.blocks)).toContain("support contacts");
    expect(hasButton(approval, ACTIONS.approve) && hasButton(approval, ACTIONS.reject)).toBe(true);
    expect(removalCalls()).toBe(0);

    await h.press(APPROVER, approval, ACTIONS.approve);
    await waitFor("relationship removed in the emulator", () => relationshipOf(tenant) === "none");
    await waitFor("approval message final", () => textOf(approval.blocks).includes("Removed.") && !hasButton(approval, ACTIONS.approve));
    expect(textOf(approval.blocks)).toContain("GDAP");
    await waitFor("case message final", () => textOf(message.blocks).includes("Relationship removed"));
    const reply = await waitFor("relink reply in the thread", () => h.slack.messages.find((m) => m.threadTs === message.ts && m.text.includes("reseller relationship with")));
    expect(reply.text).toMatch(/Next step.*https:\/\//);
    expect(removalCalls()).toBe(1);

    // the audit trail tells the story, with Partner Center request ids
    const before = ephemeralCount(OPERATOR.id);
    await h.command(OPERATOR, "audit Contoso Ltd");
    const audit = await nextEphemeral(OPERATOR.id, before, "audit trail");
    for (const action of ["case.opened", "subscriptions.suspend_all", "removal.requested", "removal.approved", "relationship.removed"]) {
      expect(textOf(audit.blocks)).toContain(action);
    }
    const events = await h.app.store.audit.listByTenant(tenant);
    expect(events.find((e) => e.action === "relationship.removed")?.pcRequestId).toMatch(/^[0-9a-f-]{36}$/);

    // relink gives the request link
    const beforeRelink = ephemeralCount(OPERATOR.id);
    await h.command(OPERATOR, "relink contoso.onmicrosoft.com");
    expect((await nextEphemeral(OPERATOR.id, beforeRelink, "relink link")).text).toMatch(/https:\/\/\S+/);
  });

  test("the requester cannot approve their own request", async () => {
    // the approver is also an operator here and asks for removal of a clean customer
    const message = await waitFor("case", async () => {
      await h.command(APPROVER, "Fourth Coffee");
      return waitFor("case message", () => h.slack.messages.find((m) => m.text.includes("Fourth Coffee")));
    });
    await waitFor("Request removal button", () => hasButton(message, ACTIONS.requestRemoval));
    const approval = await requestRemovalAndWait(h, APPROVER, message);
    const before = ephemeralCount(APPROVER.id);
    await h.press(APPROVER, approval, ACTIONS.approve);
    const refusal = await waitFor("refusal", () => h.slack.ephemerals.filter((e) => e.user === APPROVER.id).slice(before).find((e) => e.text.includes("someone else")));
    expect(refusal.text).toContain("You requested this removal");
    expect(relationshipOf(DEMO_TENANTS.clean)).toBe("reseller");
    const c = await h.app.store.cases.findActiveByTenant(DEMO_TENANTS.clean);
    expect(c?.state).toBe("awaiting_approval");
    // another approver can
    await h.press(SECOND_APPROVER, approval, ACTIONS.approve);
    await waitFor("removed", () => relationshipOf(DEMO_TENANTS.clean) === "none");
  });

  test("someone who is not an approver is refused and nothing changes", async () => {
    const { approval } = await requestRemovalFor(h, "Coho Winery");
    const calls = removalCalls();
    const before = ephemeralCount(BYSTANDER.id);
    await h.press(BYSTANDER, approval, ACTIONS.approve);
    expect((await nextEphemeral(BYSTANDER.id, before, "refusal")).text).toContain("Only approvers");
    // the reject modal opens at once (its trigger lives 3 s) and then says why not, with no submit button
    const modals = h.slack.openModals.length;
    await h.press(BYSTANDER, approval, ACTIONS.reject);
    const modal = await nextModal(h, BYSTANDER, modals);
    await waitFor("the modal turned into a refusal", () => JSON.stringify(modal.view).includes("Only approvers") && modal.view.submit === undefined);
    expect(removalCalls()).toBe(calls);
    expect((await h.app.store.cases.findActiveByTenant(DEMO_TENANTS.ordinaryCoho))?.state).toBe("awaiting_approval");
    const refused = (await h.app.store.audit.listByTenant(DEMO_TENANTS.ordinaryCoho)).filter((e) => e.outcome === "refused");
    expect(refused.map((e) => [e.actor, e.action])).toContainEqual([BYSTANDER.id, "removal.approve"]);
    // asked before the reject modal opens, by the workflow: refused and audited like any refusal
    expect(refused.map((e) => [e.actor, e.action])).toContainEqual([BYSTANDER.id, "removal.reject"]);
  });

  test("reject asks for a reason in a modal and records it", async () => {
    const { approval } = await requestRemovalFor(h, "Proseware Inc");
    const blank = await reject(h, APPROVER, approval, "  ");
    expect(JSON.parse(blank.answer.body)).toMatchObject({ response_action: "errors" });
    expect(await h.app.store.cases.findActiveByTenant(DEMO_TENANTS.ordinaryProseware)).not.toBeNull();
    const { answer } = await reject(h, APPROVER, approval, "Customer still has open invoices");
    expect(answer.status).toBe(200);
    expect(answer.body).toBe("");
    await waitFor("approval message shows the rejection", () => textOf(approval.blocks).includes("Customer still has open invoices"));
    expect(hasButton(approval, ACTIONS.approve)).toBe(false);
    expect(relationshipOf(DEMO_TENANTS.ordinaryProseware)).toBe("reseller");
    // the rejection was a durable job, not work done only in the request's turn
    const { rows } = await h.app.db.pool.query<{ state: string }>(`SELECT "state" FROM "Job" WHERE "payload"->>'type' = 'reject' AND "payload"->>'reason' = $1`, ["Customer still has open invoices"]);
    expect(rows).toEqual([{ state: "done" }]);
    // its job tried again (the process died before marking it done) carries on as done: no second rejection, no "not recorded"
    const c = (await h.app.store.audit.listByTenant(DEMO_TENANTS.ordinaryProseware)).find((e) => e.action === "removal.rejected");
    const again = await h.app.workflow.reject(APPROVER.id, c?.caseId ?? "", "Customer still has open invoices");
    expect(again.ok).toBe(true);
    expect((await h.app.store.audit.listByTenant(DEMO_TENANTS.ordinaryProseware)).filter((e) => e.action === "removal.rejected")).toHaveLength(1);
  });

  test("a subscription re-activated between request and approval: no removal call, the case reopens with its blockers", async () => {
    const { message, approval } = await requestRemovalFor(h, "Trey Research");
    const customer = h.emulator.snapshot().customers.find((c) => c.id === DEMO_TENANTS.ordinaryTrey);
    const sub = customer?.subscriptions.find((s) => s.commerceType === "legacy" && s.status !== "deleted");
    if (!sub) throw new Error("Trey Research has no legacy subscription in the demo data");
    const forced = await fetch(`${h.emulator.origin}/_emulator/customers/${DEMO_TENANTS.ordinaryTrey}/subscriptions/${sub.id}/status`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ status: "active" }),
    });
    expect(forced.status).toBe(200);
    const calls = removalCalls();
    await h.press(APPROVER, approval, ACTIONS.approve);
    await waitFor("approval message says not removed", () => textOf(approval.blocks).includes("Not removed"));
    expect(removalCalls()).toBe(calls);
    expect(relationshipOf(DEMO_TENANTS.ordinaryTrey)).toBe("reseller");
    await waitFor("case message shows the blocker again", () => hasButton(message, ACTIONS.suspendSubscription) && !hasButton(message, ACTIONS.requestRemoval));
    expect((await h.app.store.cases.findActiveByTenant(DEMO_TENANTS.ordinaryTrey))?.state).toBe("open");
  });

  test("stale, replayed and hand-made button payloads are refused with a clear message", async () => {
    const contoso = h.slack.messages.find((m) => m.channel === OPS_CHANNEL && m.text.includes("Contoso Ltd"));
    if (!contoso) throw new Error("the first test's case message is missing");
    const approval = h.slack.channelMessages(APPROVAL_CHANNEL).find((m) => m.text.includes("Contoso Ltd"));
    if (!approval) throw new Error("the first test's approval message is missing");
    const calls = removalCalls();
    // replay an Approve press with the value the button carried before the case was removed
    const removed = (await h.app.store.cases.listByTenant(DEMO_TENANTS.legacyOnly))[0];
    const approveValue = JSON.stringify({ c: removed?.id, r: String(removed?.requestedAt?.getTime()) });
    const responseUrl = () => h.slack.createResponseUrl(h.slackUrl, APPROVAL_CHANNEL, SECOND_APPROVER.id);
    let before = ephemeralCount(SECOND_APPROVER.id);
    await h.sender.blockAction(SECOND_APPROVER, APPROVAL_CHANNEL, approval.ts, { action_id: ACTIONS.approve, value: approveValue }, responseUrl());
    expect((await nextEphemeral(SECOND_APPROVER.id, before, "replay refusal")).text).toContain(`<@${APPROVER.id}> already approved`);
    // an operator's Suspend for a subscription of a case that is no longer open
    before = ephemeralCount(OPERATOR.id);
    await h.sender.blockAction(OPERATOR, OPS_CHANNEL, contoso.ts, { action_id: ACTIONS.suspendSubscription, value: JSON.stringify({ c: JSON.parse(approveValue).c, i: "anything" }) }, h.slack.createResponseUrl(h.slackUrl, OPS_CHANNEL, OPERATOR.id));
    expect((await nextEphemeral(OPERATOR.id, before, "stale refusal")).text).toMatch(/is removed; nothing more/);
    // a hand-made value that is not ours at all
    before = ephemeralCount(SECOND_APPROVER.id);
    await h.sender.blockAction(SECOND_APPROVER, APPROVAL_CHANNEL, approval.ts, { action_id: ACTIONS.approve, value: '{"c":"not-a-case"}' }, responseUrl());
    expect((await nextEphemeral(SECOND_APPROVER.id, before, "hand-made refusal")).text).toContain("not valid");
    expect(removalCalls()).toBe(calls);
  });

  test("a forged or stale Slack request gets 401 and changes nothing", async () => {
    const body = new URLSearchParams({ command: "/offboard", text: "Alpine Ski House", user_id: OPERATOR.id, channel_id: OPS_CHANNEL, response_url: "http://127.0.0.1:1/x", team_id: "T", trigger_id: "1" }).toString();
    const post = (headers: Record<string, string>) =>
      fetch(`${h.app.url}/slack/events`, { method: "POST", headers: { "content-type": "application/x-www-form-urlencoded", ...headers }, body });
    const forged = await post(signSlackRequest("not-the-secret", body));
    expect(forged.status).toBe(401);
    const stale = await post(signSlackRequest(h.signingSecret, body, Math.floor(Date.now() / 1000) - 10 * 60));
    expect(stale.status).toBe(401);
    const unsigned = await post({});
    expect(unsigned.status).toBe(401);
    expect(await h.app.store.cases.findActiveByTenant(DEMO_TENANTS.ordinaryAlpine)).toBeNull();
  });

  test("unknown or malformed command text gets the help, privately", async () => {
    for (const text of ["", "help", "<script>alert(1)</script>", "x"]) {
      const before = ephemeralCount(OPERATOR.id);
      const response = await h.command(OPERATOR, text);
      expect(response.status).toBe(200);
      const reply = await nextEphemeral(OPERATOR.id, before, `help for "${text}"`);
      expect(textOf(reply.blocks)).toContain("/offboard status");
    }
    const before = ephemeralCount(OPERATOR.id);
    await h.command(OPERATOR, "no such company anywhere");
    expect((await nextEphemeral(OPERATOR.id, before, "no match")).text).toContain("No customer matches");
  });

  test("a customer whose relationship is already gone (Partner Center answers 403, code 20002) gets no case, and the relink link is offered", async () => {
    // a picker shown before the relationship went: the directory no longer offers Litware
    const before = ephemeralCount(OPERATOR.id);
    const pick = { action_id: ACTIONS.pickCustomer, value: JSON.stringify({ t: DEMO_TENANTS.alreadyRemoved }) };
    await h.sender.blockAction(OPERATOR, OPS_CHANNEL, "1700000000.000100", pick, h.slack.createResponseUrl(h.slackUrl, OPS_CHANNEL, OPERATOR.id));
    const reply = await nextEphemeral(OPERATOR.id, before, "no relationship");
    expect(reply.text).toMatch(/^There is no reseller relationship with this customer any more\. To work with the customer again, send them this link to request a new reseller relationship:\nhttps:\/\/admin\.microsoft\.com\/\S+invType=ResellerRelationship/);
    expect(reply.text).not.toMatch(/not authori[sz]ed/);
    expect(await h.app.store.cases.findActiveByTenant(DEMO_TENANTS.alreadyRemoved)).toBeNull();
    const refusal = (await h.app.store.audit.listByTenant(DEMO_TENANTS.alreadyRemoved)).find((e) => e.action === "case.open");
    expect(refusal).toMatchObject({ outcome: "refused", detail: expect.objectContaining({ code: "no_relationship" }) });
  });

  test("several matches give a picker; status lists open cases; the Home tab shows cases and approvals", async () => {
    let before = ephemeralCount(OPERATOR.id);
    await h.command(OPERATOR, "onmicrosoft");
    const picker = await nextEphemeral(OPERATOR.id, before, "picker");
    expect(buttonsOf(picker.blocks).filter((b) => b.action_id === ACTIONS.pickCustomer).length).toBeGreaterThan(1);

    before = ephemeralCount(OPERATOR.id);
    await h.command(OPERATOR, "status");
    expect(textOf((await nextEphemeral(OPERATOR.id, before, "status")).blocks)).toContain("Trey Research");

    const home = await h.sender.appHomeOpened(APPROVER);
    expect(home.status).toBe(200);
    const view = await waitFor("home view", () => h.slack.homeViews.get(APPROVER.id));
    expect(JSON.stringify(view)).toContain("Waiting for your approval");
  });

  test("the case message stays within Slack's limits for 500 subscriptions", async () => {
    const message = await openCase(h, "Woodgrove Bank");
    expect(message.blocks.length).toBeLessThanOrEqual(50);
    expect(textOf(message.blocks)).toContain("485 more");
    for (const block of message.blocks as Array<{ text?: { text: string } }>) expect((block.text?.text ?? "").length).toBeLessThanOrEqual(3000);
  });

  test("the bot's identity is asked of Slack once, not before every request", async () => {
    const authTests = () => h.slack.calls.filter((c) => c.method === "auth.test").length;
    // the approver's Home above started the set-up checks, which ask auth.test themselves: let them finish
    await waitFor("the set-up checks the Home started", () => textOf((h.slack.homeViews.get(APPROVER.id) as { blocks: unknown[] } | undefined)?.blocks ?? []).includes("Checked "));
    const before = authTests();
    for (let i = 0; i < 3; i += 1) {
      const answered = ephemeralCount(OPERATOR.id);
      await h.command(OPERATOR, "help");
      await nextEphemeral(OPERATOR.id, answered, "help");
    }
    // one for the app's identity, one for the one run of the checks; none for the commands
    expect(before).toBe(2);
    expect(authTests()).toBe(before);
  });
});
