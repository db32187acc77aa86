// Ending GDAP relationships as part of an approved removal, driven as Slack drives the app
// (signed requests into the real Bolt receiver), with Partner Center played by the emulator and
// Microsoft Graph by the Graph stand-in the emulator serves under /graph/v1.0.
import type { GdapStandInRelationship } from "../../src/stand-ins/graph";
import { hasButton, requestRemovalFor } from "../support/slack-steps";
import { demoRelationshipId } from "../../src/stand-ins/graph";
import { DEMO_TENANTS } from "../../src/stand-ins/partner-center/demo-partner";
import { GDAP_ENDING } from "../../src/store";
import { z } from "zod";
import { ACTIONS, GDAP_CHOICE_BLOCK, homeGdapBlock, numberOf, numbered } from "../../src/slack/slack-inputs";
import { messageState } from "../../src/stand-ins/slack/slack-request-signer";
import { APPROVER, type Harness, OPERATOR, buttonsOf, startHarness, textOf, waitFor } from "../support/app-harness";

let h: Harness;
/** an active demo relationship as seeded, to copy for customers the demo gives none */
let template: GdapStandInRelationship;

beforeAll(async () => {
  // terminations settle quickly here; Fabrikam's stays requested (60 s), as the demo's slow one
  h = await startHarness({ graphOptions: { terminationMs: 300 } });
  const active = h.graph.relationships(DEMO_TENANTS.clean).find((r) => r.status === "active");
  if (!active) throw new Error("no active demo relationship to copy");
  template = active;
});
afterAll(async () => h.close());

const id = (name: string) => demoRelationshipId(name);
const graphWrites = (relationshipId: string) => h.graph.requests().filter((r) => r.relationshipId === relationshipId && (r.method === "POST" || r.method === "DELETE"));
const acceptedTerminations = (relationshipId: string) => graphWrites(relationshipId).filter((r) => r.method === "POST" && r.action === "terminate" && r.status === 201);
const statusOf = (relationshipId: string) => h.graph.relationships().find((r) => r.id === relationshipId)?.status;
const relationshipOf = (tenantId: string) => h.emulator.snapshot().customers.find((c) => c.id === tenantId)?.relationshipToPartner;

/** The case message's line about one relationship. */
function lineAbout(message: { blocks: unknown[] }, name: string): string {
  const texts = (message.blocks as Array<{ text?: { text?: string } }>).map((b) => b.text?.text ?? "");
  return texts.flatMap((t) => t.split("\n")).find((line) => line.includes(`*${name}*`)) ?? "";
}

async function auditText(query: string): Promise<string> {
  const before = h.slack.ephemerals.filter((e) => e.user === OPERATOR.id).length;
  await h.command(OPERATOR, `audit ${query}`);
  const audit = await waitFor("audit trail", () => h.slack.ephemerals.filter((e) => e.user === OPERATOR.id)[before]);
  return textOf(audit.blocks);
}

/** A copy of a demo relationship for another customer (the demo gives some customers none). */
function relationshipFor(tenantId: string, companyName: string, name: string): GdapStandInRelationship {
  return { ...template, id: id(name), displayName: name, customer: { tenantId, displayName: companyName }, requests: [] };
}

test("a removal ends every active relationship, deletes the unsent one, and reports each final status read from Graph", async () => {
  const [helpdesk, security, onboarding, draft] = ["Fourth Coffee helpdesk", "Fourth Coffee security", "Fourth Coffee 2023 onboarding", "Fourth Coffee licences (draft)"];
  const { message, approval } = await requestRemovalFor(h, "Fourth Coffee");

  // the operator saw them on the case: name, status, roles, end date, and what removal does with each
  expect(lineAbout(message, helpdesk)).toMatch(/`active` · Helpdesk Administrator, User Administrator · ends \d{4}-\d\d-\d\d/);
  expect(lineAbout(message, onboarding)).toMatch(/`terminated` · Global Administrator · ended .*Already terminated/);
  expect(lineAbout(message, draft)).toContain("`created`");

  // the approver is told what will be ended, and the box to end them is ticked to begin with
  const card = textOf(approval.blocks);
  expect(card).toContain("Also end GDAP relationships");
  expect(lineAbout(approval, helpdesk)).toMatch(/→ terminate$/);
  expect(lineAbout(approval, security)).toMatch(/→ terminate$/);
  expect(lineAbout(approval, draft)).toMatch(/→ delete$/);
  expect(card).toContain(`Left as they are: ${onboarding}`);
  const box = (approval.blocks as Array<{ block_id?: string; elements?: Array<{ type: string; initial_options?: unknown[] }> }>).find((b) => b.block_id === "gdap_choice")?.elements?.[0];
  expect(box).toMatchObject({ type: "checkboxes", initial_options: [expect.anything()] });
  expect(h.graph.requests().filter((r) => r.method !== "GET")).toHaveLength(0);

  await h.press(APPROVER, approval, ACTIONS.approve);
  await waitFor("relationship removed in Partner Center", () => relationshipOf(DEMO_TENANTS.clean) === "none");
  await waitFor("the case shows the GDAP relationships ended", () => textOf(message.blocks).includes("GDAP relationships ended"), 30_000);

  // Graph: each active one terminated by one accepted request, the created one deleted with its etag, the ended one untouched
  for (const name of [helpdesk, security]) {
    expect(acceptedTerminations(id(name))).toHaveLength(1);
    expect(graphWrites(id(name))).toHaveLength(1);
    expect(["terminationRequested", "terminated"]).toContain(statusOf(id(name)));
    expect(lineAbout(message, name)).toMatch(/:white_check_mark: Ended: Graph shows (it terminated|its termination requested)\./);
  }
  const deletes = graphWrites(id(draft));
  expect(deletes.map((r) => [r.method, r.status])).toEqual([["DELETE", 204]]);
  expect(deletes[0]?.ifMatch).toMatch(/^W\//);
  expect(statusOf(id(draft))).toBeUndefined();
  expect(lineAbout(message, draft)).toContain("Deleted: Graph no longer lists it.");
  expect(graphWrites(id(onboarding))).toHaveLength(0);
  await waitFor("the approval message says so too", () => textOf(approval.blocks).includes("GDAP relationships ended"));

  // the audit trail: the choice, then Partner Center's removal, then each request and final status with Graph's request-id
  const events = await h.app.store.audit.listByTenant(DEMO_TENANTS.clean, 200);
  const actions = events.map((e) => e.action);
  expect(actions.indexOf("gdap.ending_held")).toBeLessThan(actions.indexOf("relationship.removed"));
  expect(actions.indexOf("relationship.removed")).toBeLessThan(actions.indexOf("gdap.terminate"));
  const terminates = events.filter((e) => e.action === "gdap.terminate");
  expect(terminates.map((e) => e.pcRequestId).sort()).toEqual([helpdesk, security].map((n) => acceptedTerminations(id(n))[0]?.requestId).sort());
  const finals = events.filter((e) => e.action === "gdap.final_status");
  expect(finals.map((e) => [e.detail.name, e.outcome, e.detail.outcome]).sort()).toEqual([
    [helpdesk, "ok", "ended"],
    [draft, "ok", "deleted"],
    [security, "ok", "ended"],
  ]);
  const shown = await auditText("Fourth Coffee");
  for (const action of ["gdap.ending_held", "gdap.listed", "gdap.terminate", "gdap.delete", "gdap.final_status", "gdap.ending_finished"]) expect(shown).toContain(action);
});

test("a relationship Graph refuses to end is reported in Graph's words, never as ended, and is ended by a retry from the case", async () => {
  const admin = "Contoso admin";
  const renewal = "Contoso helpdesk renewal";
  const words = "The relationship cannot be terminated while an access assignment change is pending.";
  h.graph.refuseTermination(id(admin), { status: 400, code: "BadRequest", message: words }, 1);
  const { message, approval } = await requestRemovalFor(h, "Contoso Ltd");
  await h.press(APPROVER, approval, ACTIONS.approve);
  await waitFor("the case shows what was not ended", () => hasButton(message, ACTIONS.retryGdap), 30_000);

  expect(textOf(message.blocks)).toContain("Not every GDAP relationship was ended");
  expect(lineAbout(message, admin)).toContain(`:x: Graph refused to end it: ${words}`);
  expect(lineAbout(message, admin)).not.toMatch(/Ended/);
  expect(statusOf(id(admin))).toBe("active");
  // the one waiting for the customer's approval is ended too: approving it later would grant the roles again
  expect(acceptedTerminations(id(renewal))).toHaveLength(1);
  expect(lineAbout(message, renewal)).toMatch(/Ended: Graph shows/);
  const refusal = (await h.app.store.audit.listByTenant(DEMO_TENANTS.legacyOnly, 200)).find((e) => e.action === "gdap.terminate" && e.outcome === "refused");
  expect(refusal?.detail).toMatchObject({ name: admin, error: words, code: "BadRequest" });
  expect(refusal?.pcRequestId).toBe(graphWrites(id(admin))[0]?.requestId);

  await h.press(OPERATOR, message, ACTIONS.retryGdap);
  await waitFor("the retry ends it", () => textOf(message.blocks).includes("GDAP relationships ended"), 30_000);
  expect(lineAbout(message, admin)).toMatch(/:white_check_mark: Ended: Graph shows/);
  expect(graphWrites(id(admin)).map((r) => r.status)).toEqual([400, 201]);
  // what had ended was not sent again
  expect(graphWrites(id(renewal))).toHaveLength(1);
  expect(await auditText("Contoso Ltd")).toContain("gdap.retry");
});

test("a storm of 429s from Graph is ridden out, Retry-After honoured, each relationship terminated once", async () => {
  const tenant = DEMO_TENANTS.nceInsideWindow;
  const extra = relationshipFor(tenant, "Fabrikam Inc", "Fabrikam security");
  h.graph.add(extra);
  const { message, approval } = await requestRemovalFor(h, "Fabrikam Inc");
  const throttled = (method: "GET" | "POST") => ({ status: 429, retryAfterSeconds: 1, method });
  h.graph.failNext(...Array.from({ length: 5 }, () => throttled("POST")), ...Array.from({ length: 4 }, () => throttled("GET")));
  await h.press(APPROVER, approval, ACTIONS.approve);
  await waitFor("the case shows the GDAP relationships ended", () => textOf(message.blocks).includes("GDAP relationships ended"), 60_000);

  expect(h.graph.requests().filter((r) => r.injected && r.status === 429)).toHaveLength(9);
  for (const relationshipId of [id("Fabrikam operations"), extra.id]) {
    expect(acceptedTerminations(relationshipId)).toHaveLength(1);
    expect(["terminationRequested", "terminated"]).toContain(statusOf(relationshipId));
  }
  // Fabrikam operations' termination takes a minute: ended means Graph shows it requested
  expect(lineAbout(message, "Fabrikam operations")).toContain("Ended: Graph shows its termination requested.");
  // every send after a 429 waited at least what Retry-After asked
  const posts = h.graph.requests().filter((r) => r.method === "POST");
  const afterThrottle = posts.flatMap((post, i) => {
    const previous = posts[i - 1];
    return previous?.status === 429 && previous.relationshipId === post.relationshipId ? [post.at - previous.at] : [];
  });
  expect(afterThrottle).toHaveLength(5);
  for (const waited of afterThrottle) expect(waited).toBeGreaterThanOrEqual(1000);
});

test("with the box unticked, the removal goes ahead and no GDAP relationship is touched", async () => {
  const tenant = DEMO_TENANTS.expiredReservation;
  const kept = ["Blue Yonder managed services", "Blue Yonder helpdesk"].map((name) => relationshipFor(tenant, "Blue Yonder Airlines", name));
  for (const r of kept) h.graph.add(r);
  const { message, approval } = await requestRemovalFor(h, "Blue Yonder Airlines");
  for (const r of kept) expect(lineAbout(approval, r.displayName)).toMatch(/→ terminate$/);

  // a choice in a shape Slack never sends is refused before anything happens
  const approve = buttonsOf(approval.blocks).find((b) => b.action_id === ACTIONS.approve);
  const before = h.slack.ephemerals.filter((e) => e.user === APPROVER.id).length;
  const forged = { values: { gdap_choice: { [ACTIONS.endGdapChoice]: { type: "checkboxes", selected_options: "yes please" } } } };
  await h.sender.blockAction(APPROVER, approval.channel, approval.ts, { action_id: ACTIONS.approve, value: approve?.value ?? "" }, h.slack.createResponseUrl(h.slackUrl, approval.channel, APPROVER.id), { state: forged });
  const refusal = await waitFor("refusal", () => h.slack.ephemerals.filter((e) => e.user === APPROVER.id)[before]);
  expect(refusal.text).toContain("not valid, so nothing was done");
  expect((await h.app.store.cases.findActiveByTenant(tenant))?.state).toBe("awaiting_approval");

  await h.press(APPROVER, approval, ACTIONS.approve, undefined, { [ACTIONS.endGdapChoice]: false });
  await waitFor("relationship removed in Partner Center", () => relationshipOf(tenant) === "none");
  await waitFor("the case message final", () => textOf(message.blocks).includes("Relationship removed"));
  // no GDAP ending is queued or being worked anywhere
  await h.app.runner.settle([GDAP_ENDING]);
  for (const r of kept) {
    expect(graphWrites(r.id)).toHaveLength(0);
    expect(statusOf(r.id)).toBe("active");
    expect(lineAbout(message, r.displayName)).toMatch(/`active` .* → kept$/);
  }
  await waitFor("the approval message says they were kept", () => textOf(approval.blocks).includes("kept, as the approver chose"));
  const events = await h.app.store.audit.listByTenant(tenant, 100);
  expect(events.find((e) => e.action === "removal.approved")?.detail).toMatchObject({ endGdap: false });
  expect(events.map((e) => e.action)).toContain("gdap.kept");
  expect(events.map((e) => e.action)).not.toContain("gdap.terminate");
});

test("the Home tab's Approve comes with the same box: unticked there keeps them; a press that says nothing is refused", async () => {
  const tenant = DEMO_TENANTS.nceAnnualOnly;
  const kept = relationshipFor(tenant, "Relecloud", "Relecloud managed services");
  h.graph.add(kept);
  const { message, approval } = await requestRemovalFor(h, "Relecloud");
  const channelApprove = buttonsOf(approval.blocks).find((b) => b.action_id === ACTIONS.approve);
  await h.sender.appHomeOpened(APPROVER);
  const home = await waitFor("the approver's Home listing Relecloud", () => {
    const view = h.slack.homeViews.get(APPROVER.id) as { blocks: unknown[] } | undefined;
    return view && textOf(view.blocks).includes("Relecloud") ? view : undefined;
  });
  const homeApprove = buttonsOf(home.blocks).find((b) => b.action_id === ACTIONS.approve && b.value === channelApprove?.value);
  const n = numberOf(String(homeApprove?.id));
  if (n === undefined) throw new Error("the Home's Approve carries no number");
  // the same question as in the channel, word for word, and a box numbered as this Approve, ticked to begin with
  expect(homeApprove?.confirm).toEqual(channelApprove?.confirm);
  // named after the request it decides as well as its place, so a Home published again never hands its tick to another request
  const request = z.object({ c: z.string(), r: z.string() }).parse(JSON.parse(String(homeApprove?.value)));
  const box = (home.blocks as Array<{ block_id?: string; elements?: Array<{ type: string; action_id: string; initial_options?: unknown[] }> }>).find((b) => b.block_id === homeGdapBlock(n, request));
  expect(box?.block_id).toBe(`${numbered(GDAP_CHOICE_BLOCK, n)}.${request.c}.${request.r}`);
  expect(box?.elements?.[0]).toMatchObject({ type: "checkboxes", action_id: numbered(ACTIONS.endGdapChoice, n) });
  expect(box?.elements?.[0]?.initial_options).toHaveLength(1);

  // a press that carries no choice (a Home drawn before the box existed) removes nothing
  const dms = h.slack.directMessages(APPROVER.id).length;
  await h.sender.homeBlockAction(APPROVER, `VHOME${APPROVER.id}`, { action_id: String(homeApprove?.id), value: String(homeApprove?.value) });
  const told = await waitFor("the refusal by DM", () => h.slack.directMessages(APPROVER.id)[dms]);
  expect(told.text).toContain("say whether to end the GDAP relationships too");
  expect((await h.app.store.cases.findActiveByTenant(tenant))?.state).toBe("awaiting_approval");
  expect((await h.app.store.audit.listByTenant(tenant, 100)).find((e) => e.action === "removal.approve" && e.outcome === "refused")?.detail).toMatchObject({ code: "not_actionable" });

  // unticked on the Home: removed, and the relationship kept
  await h.sender.homeBlockAction(APPROVER, `VHOME${APPROVER.id}`, { action_id: String(homeApprove?.id), value: String(homeApprove?.value) }, { state: messageState(home.blocks, { [numbered(ACTIONS.endGdapChoice, n)]: false }) });
  await waitFor("relationship removed in Partner Center", () => relationshipOf(tenant) === "none");
  await waitFor("the case message final", () => textOf(message.blocks).includes("Relationship removed"));
  await h.app.runner.settle([GDAP_ENDING]);
  expect(graphWrites(kept.id)).toHaveLength(0);
  expect(statusOf(kept.id)).toBe("active");
  expect((await h.app.store.audit.listByTenant(tenant, 100)).find((e) => e.action === "removal.approved")?.detail).toMatchObject({ endGdap: false });
});
