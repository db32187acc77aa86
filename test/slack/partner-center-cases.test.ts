// The cases Partner Center really presents, driven through Slack as Slack drives it (signed
// requests into the Bolt receiver) against the emulator: reservations named and blocking (an
// expired one not), an Azure plan that cannot be suspended until its Azure subscription is
// disabled, an annual new-commerce licence suspended with the billing warning on the approval
// card, what the app does not recognise, and a removal whose answer was lost.
import { ACTIONS } from "../../src/slack/slack-inputs";
import { DEMO_TENANTS } from "../../src/stand-ins/partner-center/demo-partner";
import { hasButton, openCase as openCaseMessage, requestRemovalAndWait } from "../support/slack-steps";
import { APPROVER, type Harness, OPERATOR, startHarness, textOf, waitFor } from "../support/app-harness";

let h: Harness;

beforeAll(async () => {
  h = await startHarness();
});
afterAll(async () => h.close());

type Message = { channel: string; ts: string; blocks: unknown[]; text: string; updates: number };

const customerOf = (tenantId: string) => h.emulator.snapshot().customers.find((c) => c.id === tenantId);
const ephemeralsOf = (user: string) => h.slack.ephemerals.filter((e) => e.user === user);

async function openCase(companyName: string): Promise<Message> {
  const message = await openCaseMessage(h, companyName);
  await h.app.slack.settle();
  return message;
}

async function requestAndApprove(message: Message, companyName: string): Promise<Message> {
  await waitFor(`Request removal offered for ${companyName}`, () => hasButton(message, ACTIONS.requestRemoval));
  return requestRemovalAndWait(h, OPERATOR, message);
}

test("a live reservation blocks, named as Partner Center names it; an expired or cancelled one does not", async () => {
  const live = await openCase("Adventure Works Cycles");
  const text = textOf(live.blocks);
  expect(text).toContain("Azure reservations (1)");
  expect(text).toMatch(/VM_RI_D2s_v5_WestEurope_1Y \(virtualmachines, quantity 1, expires \d{4}-\d{2}-\d{2}\)/);
  expect(text).toContain("Azure portal");
  expect(hasButton(live, ACTIONS.requestRemoval)).toBe(false);

  const expired = await openCase("Blue Yonder Airlines");
  expect(textOf(expired.blocks)).not.toContain("Azure reservations");
  expect(hasButton(expired, ACTIONS.requestRemoval)).toBe(true);
  // entitlements were read App+User with showExpiry, and each reservation's details behind its link
  const reads = h.emulator.requests().filter((r) => r.path.startsWith(`/customers/${DEMO_TENANTS.expiredReservation}/artifacts/reservedinstance/`));
  expect(reads.length).toBeGreaterThanOrEqual(2);
});

test("an Azure plan names its Azure subscriptions, cannot be suspended while one is active, and can once it is disabled; removal follows", async () => {
  const tenant = DEMO_TENANTS.azurePlan;
  const message = await openCase("Graphic Design Institute");
  const text = textOf(message.blocks);
  expect(text).toContain("Azure plans (1)");
  expect(text).toMatch(/GDI Production \([0-9a-f-]+\): active/);
  expect(text).toMatch(/GDI Sandbox \([0-9a-f-]+\): disabled/);
  expect(text).not.toMatch(/term end|new-commerce|cancellation window/i);
  expect(hasButton(message, ACTIONS.suspendPlan)).toBe(true);

  const before = ephemeralsOf(OPERATOR.id).length;
  await h.press(OPERATOR, message, ACTIONS.suspendPlan);
  const refusal = await waitFor("refusal", () => ephemeralsOf(OPERATOR.id)[before]);
  expect(refusal.text).toMatch(/will not suspend the Azure plan while any of its Azure subscriptions is active or a reservation is live\. Disable each of its Azure subscriptions in the Azure portal/);
  expect(customerOf(tenant)?.subscriptions.find((s) => s.commerceType === "azure_plan")?.status).toBe("active");

  // the Azure portal's part, played by the emulator's control endpoint
  const production = customerOf(tenant)?.subscriptions.flatMap((s) => s.azureSubscriptions ?? []).find((a) => a.friendlyName === "GDI Production");
  const disabled = await fetch(`${h.emulator.origin}/_emulator/customers/${tenant}/azure-subscriptions/${production?.id ?? ""}/status`, { method: "POST", body: JSON.stringify({ status: "disabled" }) });
  expect(disabled.status).toBe(200);
  await h.press(OPERATOR, message, ACTIONS.suspendPlan);
  await waitFor("plan suspended", () => customerOf(tenant)?.subscriptions.find((s) => s.commerceType === "azure_plan")?.status === "suspended");

  const approval = await requestAndApprove(message, "Graphic Design Institute");
  await h.press(APPROVER, approval, ACTIONS.approve);
  await waitFor("removed", () => customerOf(tenant)?.relationshipToPartner === "none");
});

test("an annual new-commerce licence past its window: Suspend all turns auto-renew off and suspends it, the approval card shows what keeps billing, removal follows", async () => {
  const tenant = DEMO_TENANTS.nceAnnualOnly;
  const message = await openCase("Relecloud");
  expect(hasButton(message, ACTIONS.suspendSubscription)).toBe(true);
  expect(hasButton(message, ACTIONS.turnOffAutoRenew)).toBe(true);
  expect(hasButton(message, ACTIONS.cancelSubscription)).toBe(false);
  expect(textOf(message.blocks)).toMatch(/past its cancellation window: it cannot be cancelled and bills until \d{4}-\d{2}-\d{2}; it renews then unless auto-renew is turned off/);

  await h.press(OPERATOR, message, ACTIONS.suspendAll);
  await waitFor("suspended", () => customerOf(tenant)?.subscriptions[0]?.status === "suspended");
  expect(customerOf(tenant)?.subscriptions[0]?.autoRenewEnabled).toBe(false);
  const end = customerOf(tenant)?.subscriptions[0]?.commitmentEndDate?.slice(0, 10) ?? "";

  const approval = await requestAndApprove(message, "Relecloud");
  expect(textOf(approval.blocks)).toContain("Still billing after suspension (1)");
  expect(textOf(approval.blocks)).toContain(`Microsoft 365 E3 (×40) is suspended but keeps billing until ${end}; it will not renew.`);
  // the approval request is posted first, then the request saved and audited
  const requested = await waitFor("the request audited", async () => (await h.app.store.audit.listByTenant(tenant)).find((e) => e.action === "removal.requested"));
  expect(requested.detail).toMatchObject({ stillBilling: [expect.stringContaining(end)] });

  await h.press(APPROVER, approval, ACTIONS.approve);
  await waitFor("removed", () => customerOf(tenant)?.relationshipToPartner === "none");
});

test("one by one: Turn off auto-renew leaves the licence running; Suspend then suspends it, and the case shows what keeps billing", async () => {
  const tenant = DEMO_TENANTS.nceOutsideWindow;
  const nce = () => customerOf(tenant)?.subscriptions.find((s) => s.commerceType === "nce");
  const message = await openCase("Northwind Traders");
  await h.press(OPERATOR, message, ACTIONS.turnOffAutoRenew);
  await waitFor("auto-renew off", () => nce()?.autoRenewEnabled === false);
  expect(nce()?.status).toBe("active");
  await waitFor("the button gone", () => !hasButton(message, ACTIONS.turnOffAutoRenew));
  expect(textOf(message.blocks)).toContain("it will not renew");
  await h.press(OPERATOR, message, ACTIONS.suspendSubscription, nce()?.id);
  await waitFor("suspended", () => nce()?.status === "suspended");
  await waitFor("billing shown", () => textOf(message.blocks).includes("Still billing after suspension (1)"));
  // inside its window the choice is Cancel (with the refund) or Suspend
  const fabrikam = await openCase("Fabrikam Inc");
  expect(hasButton(fabrikam, ACTIONS.cancelSubscription) && hasButton(fabrikam, ACTIONS.suspendSubscription)).toBe(true);
});

test("what the app does not recognise blocks with a plain message: an unknown entitlement type, a status of none", async () => {
  for (const company of ["Lamna Healthcare Company", "Margie's Travel"]) {
    const message = await openCase(company);
    const text = textOf(message.blocks);
    expect(text).toContain("Unrecognised items (1)");
    expect(text).toContain("Unrecognised item: check it in Partner Center.");
    expect(hasButton(message, ACTIONS.requestRemoval)).toBe(false);
  }
  expect(textOf((await openCase("Lamna Healthcare Company")).blocks)).toContain('type \\"savingsplan\\"');
});

test("a removal Partner Center carried out but whose answer was garbled completes as removed, the audit saying how it was confirmed", async () => {
  const tenant = DEMO_TENANTS.expiredReservation;
  const message = await openCase("Blue Yonder Airlines");
  const approval = await requestAndApprove(message, "Blue Yonder Airlines");
  h.emulator.configure({ failNext: [{ route: "PATCH /customers/{id}", status: 400, afterApplying: true, body: "<html>upstream garbled</html>" }] });
  await h.press(APPROVER, approval, ACTIONS.approve);
  await waitFor("case removed", async () => (await h.app.store.cases.listByTenant(tenant))[0]?.state === "removed");
  const removed = (await h.app.store.audit.listByTenant(tenant)).find((e) => e.action === "relationship.removed");
  expect(removed?.outcome).toBe("ok");
  expect(String((removed?.detail as { confirmedBy?: string }).confirmedBy)).toMatch(/^read back after the removal call failed \(Partner Center refused .*upstream garbled.*\): a read of the customer answered 403 with code 20002/);
  expect(removed?.pcRequestId).toMatch(/^[0-9a-f-]{36}$/);
  await waitFor("approval message final", () => textOf(approval.blocks).includes("Removed."));
});

test("a removal Partner Center refuses shows its own description; Retry removal then removes", async () => {
  const tenant = DEMO_TENANTS.ordinaryCoho;
  const message = await openCase("Coho Winery");
  await h.press(OPERATOR, message, ACTIONS.suspendAll);
  const approval = await requestAndApprove(message, "Coho Winery");
  const description = "The customer has an order being processed; try again later.";
  h.emulator.configure({ failNext: [{ route: "PATCH /customers/{id}", status: 400, body: JSON.stringify({ code: 800113, description, data: [], source: "PartnerFD" }) }] });
  const before = ephemeralsOf(APPROVER.id).length;
  await h.press(APPROVER, approval, ACTIONS.approve);
  const failed = await waitFor("failure told", () => ephemeralsOf(APPROVER.id)[before]);
  expect(failed.text).toContain(`Partner Center refused to remove the reseller relationship: ${description}`);
  await waitFor("approval message shows the failure", () => textOf(approval.blocks).includes(description) && hasButton(approval, ACTIONS.retryRemoval));
  expect(customerOf(tenant)?.relationshipToPartner).toBe("reseller");
  await h.press(APPROVER, approval, ACTIONS.retryRemoval);
  await waitFor("removed on retry", () => customerOf(tenant)?.relationshipToPartner === "none");
});

test("a case whose relationship was removed elsewhere is not left open: Re-check closes it and offers the relink", async () => {
  const tenant = DEMO_TENANTS.clean;
  const message = await openCase("Fourth Coffee");
  // someone removes it in the Partner Center portal
  const removed = await fetch(`${h.emulator.url}/customers/${tenant}`, {
    method: "PATCH",
    headers: { Authorization: "Bearer portal", "Content-Type": "application/json" },
    body: JSON.stringify({ relationshipToPartner: "none", attributes: { objectType: "Customer" } }),
  });
  expect(removed.status).toBe(200);
  const before = ephemeralsOf(OPERATOR.id).length;
  await h.press(OPERATOR, message, ACTIONS.recheck);
  const told = await waitFor("told", () => ephemeralsOf(OPERATOR.id)[before]);
  expect(told.text).toBe("There is no reseller relationship with this customer any more. Use `/offboard relink fourthcoffee.onmicrosoft.com` to request a new one.");
  expect(await h.app.store.cases.findActiveByTenant(tenant)).toBeNull();
  const closed = (await h.app.store.audit.listByTenant(tenant)).find((e) => e.action === "case.closed_no_relationship");
  expect(closed?.detail).toMatchObject({ confirmedBy: expect.stringContaining("20002") });
  await waitFor("case message closed", () => textOf(message.blocks).includes("Case closed"));
});

test("a read answering 3000 'relationship does not exist' is not taken on its word: a read of the customer decides", async () => {
  const tenant = DEMO_TENANTS.ordinaryProseware;
  const message = await openCase("Proseware Inc");
  const said = (description: string) => ({ route: "GET /customers/{id}/subscriptions", status: 400, body: JSON.stringify({ code: 3000, description, data: [], source: "PartnerFD" }) });
  // the customer reads as a reseller customer: nothing is closed, and the operator reads Partner Center's words
  h.emulator.configure({ failNext: [said("Relationship does not exist between the partner and the customer")] });
  const before = ephemeralsOf(OPERATOR.id).length;
  await h.press(OPERATOR, message, ACTIONS.recheck);
  const told = await waitFor("told", () => ephemeralsOf(OPERATOR.id)[before]);
  expect(told.text).toContain("Relationship does not exist between the partner and the customer");
  expect((await h.app.store.cases.findActiveByTenant(tenant))?.state).toBe("open");
  expect((await h.app.store.audit.listByTenant(tenant)).map((e) => e.action)).not.toContain("case.closed_no_relationship");

  // once the relationship is really gone (the customer read answers 20002), the same answer closes the case
  for (const sub of customerOf(tenant)?.subscriptions.filter((x) => x.status === "active") ?? []) {
    const suspended = await fetch(`${h.emulator.origin}/_emulator/customers/${tenant}/subscriptions/${sub.id}/status`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ status: "suspended" }),
    });
    expect(suspended.status).toBe(200);
  }
  const removed = await fetch(`${h.emulator.url}/customers/${tenant}`, {
    method: "PATCH",
    headers: { Authorization: "Bearer portal", "Content-Type": "application/json" },
    body: JSON.stringify({ relationshipToPartner: "none", attributes: { objectType: "Customer" } }),
  });
  expect(removed.status).toBe(200);
  h.emulator.configure({ failNext: [said("Relationship does not exist")] });
  await h.press(OPERATOR, message, ACTIONS.recheck);
  await waitFor("the case closed", async () => (await h.app.store.cases.findActiveByTenant(tenant)) === null);
  const closed = (await h.app.store.audit.listByTenant(tenant)).find((e) => e.action === "case.closed_no_relationship");
  expect(closed?.detail).toMatchObject({ confirmedBy: expect.stringContaining("20002") });
});

test("every subscription PATCH sent carried the full resource and If-Match", () => {
  const patches = h.emulator.requests().filter((r) => r.route === "PATCH /customers/{id}/subscriptions/{id}");
  expect(patches.length).toBeGreaterThanOrEqual(3);
  for (const patch of patches) {
    expect(patch.ifMatch).toEqual(expect.any(String));
    expect(Object.keys(patch.body ?? {})).toEqual(expect.arrayContaining(["id", "offerId", "offerName", "quantity", "status", "autoRenewEnabled", "billingType", "attributes"]));
  }
  // and none was refused for it
  expect(patches.filter((p) => p.status === 400 || p.status === 412)).toEqual([]);
});
