import {
  type Blocker,
  type BlockerKind,
  type CustomerSnapshot,
  type PreconditionResult,
  type SubscriptionStatus,
  UNRECOGNISED_ITEM_STEP,
  checkSubscriptionAction,
  clearableSubscriptions,
  evaluatePreconditions,
  isInsideWindow,
} from "../../src/domain";
import { DAY, NOW, at, azurePlan, azureSubscription, customer, legacySubscription, nceSubscription, reservation, snapshot, softwarePurchase } from "./fixtures";

function blockersOf(result: PreconditionResult): Blocker[] {
  expect(result.ready).toBe(false);
  return result.blockers;
}

function onlyBlocker(s: CustomerSnapshot, now: Date = NOW): Blocker {
  const blockers = blockersOf(evaluatePreconditions(s, now));
  expect(blockers).toHaveLength(1);
  const [blocker] = blockers;
  if (!blocker) throw new Error("no blocker");
  return blocker;
}

const READY = { ready: true, blockers: [], notices: [] };

describe("evaluatePreconditions: ready", () => {
  test("a customer with nothing left is ready", () => {
    expect(evaluatePreconditions(snapshot(), NOW)).toEqual(READY);
  });

  test.each(["Cancelled", "Expired", "Returned"])("a reservation that is %s does not block", (provisioningState) => {
    expect(evaluatePreconditions(snapshot({ reservations: [reservation({ provisioningState })] }), NOW)).toEqual(READY);
  });

  test("a reservation past its expiry date does not block, whatever its state says", () => {
    expect(evaluatePreconditions(snapshot({ reservations: [reservation({ expiresAt: at(-DAY), provisioningState: "Succeeded" })] }), NOW)).toEqual(READY);
  });

  test("cancelled software purchases do not block", () => {
    const s = snapshot({ softwarePurchases: [softwarePurchase({ status: "cancelled" }), softwarePurchase({ id: "order-2", status: "cancelled", cancellableUntil: null })] });
    expect(evaluatePreconditions(s, NOW)).toEqual(READY);
  });

  test.each<SubscriptionStatus>(["suspended", "deleted", "expired", "disabled"])("a legacy subscription, an Azure plan and an unclassifiable offer that are %s do not block", (status) => {
    const subs = [legacySubscription({ status }), azurePlan({ status }), legacySubscription({ id: "odd", commerceType: "unrecognised", status })];
    expect(evaluatePreconditions(snapshot({ subscriptions: subs }), NOW).blockers).toEqual([]);
  });

  test.each<SubscriptionStatus>(["deleted", "expired", "suspended"])("a new-commerce subscription that is %s does not block, inside or outside its window", (status) => {
    const subs = [
      nceSubscription({ id: "in", status, cancellableUntil: at(DAY) }),
      nceSubscription({ id: "out", status, cancellableUntil: at(-DAY) }),
      nceSubscription({ id: "none", status, cancellableUntil: null }),
    ];
    expect(evaluatePreconditions(snapshot({ subscriptions: subs }), NOW).ready).toBe(true);
  });
});

describe("evaluatePreconditions: every blocker kind", () => {
  test("an active legacy subscription blocks and is cleared by suspending it", () => {
    const sub = legacySubscription({ offerName: "Office 365 E3", quantity: 10 });
    expect(onlyBlocker(snapshot({ subscriptions: [sub] }))).toEqual({
      kind: "active_legacy_subscription",
      itemId: sub.id,
      itemName: "Office 365 E3 (×10)",
      reason: "Subscription is active.",
      step: "suspend_subscription",
      stepText: "Suspend the subscription.",
      actions: ["suspend"],
      actionable: true,
      details: [],
    });
  });

  test("a pending subscription blocks with nothing to press: it cannot be suspended yet", () => {
    const blocker = onlyBlocker(snapshot({ subscriptions: [legacySubscription({ status: "pending" })] }));
    expect(blocker).toMatchObject({ kind: "pending_subscription", step: "wait_until_not_pending", actions: [], actionable: false });
  });

  test("a live Azure reservation is a blocker named as Partner Center names it: display name, type, quantity, expiry", () => {
    const ri = reservation({ id: "ri-9", name: "VM_RI_D2s_v5_WestEurope", reservationType: "virtualmachines", quantity: 2, expiresAt: new Date("2027-03-01T00:00:00Z") });
    const blocker = onlyBlocker(snapshot({ reservations: [ri] }));
    expect(blocker).toMatchObject({ kind: "azure_reservation", itemId: "ri-9", step: "cancel_reservation_in_azure_portal", actions: [], actionable: false });
    expect(blocker.itemName).toBe("VM_RI_D2s_v5_WestEurope (virtualmachines, quantity 2, expires 2027-03-01)");
    expect(blocker.reason).toBe("Azure reservation is Succeeded.");
    expect(blocker.stepText).toMatch(/Azure portal/);
  });

  test("a reservation whose details could not be read still blocks", () => {
    const blocker = onlyBlocker(snapshot({ reservations: [reservation({ provisioningState: null, expiresAt: null, quantity: null, reservationType: null, name: "reservation DZH318Z0BQ3W/007J" })] }));
    expect(blocker.kind).toBe("azure_reservation");
    expect(blocker.itemName).toBe("reservation DZH318Z0BQ3W/007J");
    expect(blocker.reason).toMatch(/could not be read/);
  });

  test("an active software purchase inside its window blocks and can be cancelled", () => {
    const purchase = softwarePurchase({ id: "order-7", name: "SQL Server", cancellableUntil: at(DAY) });
    expect(onlyBlocker(snapshot({ softwarePurchases: [purchase] }))).toMatchObject({
      kind: "software_purchase",
      itemId: "order-7",
      itemName: "SQL Server",
      step: "cancel_software_purchase",
      actions: ["cancel_software"],
      actionable: true,
    });
  });

  test.each([
    ["past its window", at(-DAY)],
    ["with no window", null],
  ])("an active software purchase %s blocks and needs Microsoft support", (_label, cancellableUntil) => {
    const blocker = onlyBlocker(snapshot({ softwarePurchases: [softwarePurchase({ cancellableUntil })] }));
    expect(blocker).toMatchObject({ kind: "software_purchase_outside_window", step: "contact_microsoft_support", actionable: false });
    expect(blocker.stepText).toMatch(/Microsoft support/);
  });

  test("a customer with no relationship any more blocks, naming the customer", () => {
    const s = snapshot({ customer: customer({ tenantId: "t-42", companyName: "Fabrikam", relationshipToPartner: "none" }) });
    expect(onlyBlocker(s)).toMatchObject({ kind: "no_reseller_relationship", itemId: "t-42", itemName: "Fabrikam", step: "none_relationship_already_removed", actionable: false });
  });

  test("every blocker kind is reported at once, none hiding another", () => {
    const s = snapshot({
      customer: customer({ relationshipToPartner: "none" }),
      subscriptions: [
        legacySubscription({ id: "legacy" }),
        legacySubscription({ id: "pending", status: "pending" }),
        nceSubscription({ id: "nce-in" }),
        nceSubscription({ id: "nce-out", cancellableUntil: at(-DAY) }),
        azurePlan({ id: "plan" }),
        legacySubscription({ id: "odd", status: "unrecognised", statusText: "frozen" }),
        legacySubscription({ id: "legacy-suspended", status: "suspended" }),
      ],
      reservations: [reservation({ id: "ri" }), reservation({ id: "ri-done", provisioningState: "Cancelled" })],
      softwarePurchases: [softwarePurchase({ id: "sw-in" }), softwarePurchase({ id: "sw-out", cancellableUntil: at(-DAY) })],
    });
    const blockers = blockersOf(evaluatePreconditions(s, NOW));
    expect(Object.fromEntries(blockers.map((b) => [b.itemId, b.kind]))).toEqual({
      "tenant-1": "no_reseller_relationship",
      legacy: "active_legacy_subscription",
      pending: "pending_subscription",
      "nce-in": "nce_subscription_in_window",
      "nce-out": "nce_subscription_past_window",
      plan: "azure_plan",
      odd: "unrecognised_item",
      ri: "azure_reservation",
      "sw-in": "software_purchase",
      "sw-out": "software_purchase_outside_window",
    });
    const allKinds: BlockerKind[] = [
      "active_legacy_subscription",
      "pending_subscription",
      "nce_subscription_in_window",
      "nce_subscription_past_window",
      "azure_plan",
      "azure_reservation",
      "software_purchase",
      "software_purchase_outside_window",
      "unrecognised_item",
      "no_reseller_relationship",
    ];
    expect(new Set(blockers.map((b) => b.kind))).toEqual(new Set(allKinds));
    for (const blocker of blockers) {
      expect(blocker.reason.trim()).not.toBe("");
      expect(blocker.stepText.trim()).not.toBe("");
      expect(blocker.actionable).toBe(blocker.actions.length > 0);
    }
  });

  test("it does not modify the snapshot", () => {
    const s = snapshot({ subscriptions: [legacySubscription(), nceSubscription(), azurePlan()], azureSubscriptions: [azureSubscription()], reservations: [reservation()] });
    const before = structuredClone(s);
    evaluatePreconditions(s, NOW);
    clearableSubscriptions(s, NOW);
    expect(s).toEqual(before);
  });
});

describe("fail closed: what the app does not recognise blocks, with a plain message", () => {
  function expectUnrecognised(s: CustomerSnapshot, what: RegExp): void {
    const blocker = onlyBlocker(s);
    expect(blocker).toMatchObject({ kind: "unrecognised_item", step: "check_in_partner_center", stepText: UNRECOGNISED_ITEM_STEP, actions: [], actionable: false });
    expect(blocker.stepText).toBe("Unrecognised item: check it in Partner Center.");
    expect(blocker.reason).toMatch(what);
  }

  test("a subscription status the app does not know", () => {
    expectUnrecognised(snapshot({ subscriptions: [legacySubscription({ status: "unrecognised", statusText: "frozen" })] }), /status “frozen”/);
  });

  test("the documented status none, whose meaning for removal nobody documents", () => {
    expectUnrecognised(snapshot({ subscriptions: [nceSubscription({ status: "none" })] }), /status “none”/);
  });

  test("an active subscription whose offer cannot be classified", () => {
    expectUnrecognised(snapshot({ subscriptions: [legacySubscription({ commerceType: "unrecognised", offerId: "SOMETHING-NEW" })] }), /offer “SOMETHING-NEW”/);
  });

  test("an entitlement of a type the app does not know", () => {
    expectUnrecognised(snapshot({ unrecognised: [{ id: "sp-1", name: "Azure savings plan", what: 'an entitlement of type "savingsplan"' }] }), /type "savingsplan"/);
  });

  test("a reservation in a state the app does not know", () => {
    expectUnrecognised(snapshot({ reservations: [reservation({ provisioningState: "Merged" })] }), /state “Merged”/);
  });

  test("a relationship the app does not know", () => {
    expectUnrecognised(snapshot({ customer: customer({ relationshipToPartner: "unknown" }) }), /relationship/);
  });
});

describe("Azure plans", () => {
  test("an active plan lists its Azure subscriptions by name with their status and says what to do", () => {
    const s = snapshot({
      subscriptions: [azurePlan({ id: "plan", offerName: "Azure plan" })],
      azureSubscriptions: [azureSubscription({ id: "a1", planId: "plan", name: "Production", status: "active" }), azureSubscription({ id: "a2", planId: "plan", name: "Test", status: "disabled" }), azureSubscription({ id: "x", planId: "other" })],
    });
    const blocker = onlyBlocker(s);
    expect(blocker).toMatchObject({ kind: "azure_plan", itemName: "Azure plan", step: "disable_azure_subscriptions_then_suspend_plan", actions: ["suspend_plan"], actionable: true });
    expect(blocker.details).toEqual(["Production (a1): active", "Test (a2): disabled"]);
    expect(blocker.reason).toContain("1 of its Azure subscriptions is still active");
    expect(blocker.stepText).toMatch(/Azure portal.*reservations.*Suspend plan/);
    // never taken for a new-commerce licence
    expect(`${blocker.reason} ${blocker.stepText}`).not.toMatch(/term|new-commerce|window/i);
  });

  test("a plan with every Azure subscription disabled still blocks until it is suspended", () => {
    const s = snapshot({ subscriptions: [azurePlan()], azureSubscriptions: [azureSubscription({ status: "disabled" })] });
    expect(onlyBlocker(s)).toMatchObject({ kind: "azure_plan", reason: "Azure plan is active." });
  });

  test("a live reservation keeps the plan from being suspended: Suspend all leaves it, and the plan says why", () => {
    const s = snapshot({ subscriptions: [azurePlan({ id: "plan" })], azureSubscriptions: [azureSubscription({ planId: "plan", status: "disabled" })], reservations: [reservation()] });
    const plan = evaluatePreconditions(s, NOW).blockers.find((b) => b.kind === "azure_plan");
    expect(plan?.reason).toBe("Azure plan is active and 1 reservation is still live, so Partner Center will not suspend it.");
    expect(clearableSubscriptions(s, NOW)).toEqual([]);
    // once the reservation is cancelled, Suspend all takes the plan
    const cancelled = { ...s, reservations: [reservation({ provisioningState: "Cancelled" })] };
    expect(clearableSubscriptions(cancelled, NOW).map((w) => [w.subscription.id, w.action])).toEqual([["plan", "suspend"]]);
  });
});

describe("the cancellation window boundary", () => {
  const until = at(7 * DAY);

  test("exactly at cancellableUntil is still inside; one millisecond later is outside", () => {
    expect(isInsideWindow(until, until)).toBe(true);
    expect(isInsideWindow(until, new Date(until.getTime() - 1))).toBe(true);
    expect(isInsideWindow(until, new Date(until.getTime() + 1))).toBe(false);
    expect(isInsideWindow(null, NOW)).toBe(false);
  });

  test("a new-commerce subscription flips from cancel-or-suspend to suspend at the boundary", () => {
    const s = snapshot({ subscriptions: [nceSubscription({ cancellableUntil: until })] });
    expect(onlyBlocker(s, until).actions).toEqual(["cancel", "suspend"]);
    expect(onlyBlocker(s, new Date(until.getTime() + 1)).actions).toEqual(["suspend", "turn_off_auto_renew"]);
  });

  test("a software purchase flips from cancellable to support-only at the boundary", () => {
    const s = snapshot({ softwarePurchases: [softwarePurchase({ cancellableUntil: until })] });
    expect(onlyBlocker(s, until).kind).toBe("software_purchase");
    expect(onlyBlocker(s, new Date(until.getTime() + 1)).kind).toBe("software_purchase_outside_window");
  });
});

describe("clearableSubscriptions (Suspend all)", () => {
  test("cancels new commerce inside its window, suspends the rest, and leaves what it cannot or need not touch", () => {
    const s = snapshot({
      subscriptions: [
        legacySubscription({ id: "legacy-active" }),
        legacySubscription({ id: "legacy-pending", status: "pending" }),
        legacySubscription({ id: "legacy-suspended", status: "suspended" }),
        nceSubscription({ id: "nce-active" }),
        nceSubscription({ id: "nce-suspended", status: "suspended" }),
        nceSubscription({ id: "nce-past", cancellableUntil: at(-1) }),
        nceSubscription({ id: "nce-deleted", status: "deleted" }),
        azurePlan({ id: "plan-busy" }),
        azurePlan({ id: "plan-idle" }),
        legacySubscription({ id: "odd", status: "unrecognised", statusText: "frozen" }),
      ],
      azureSubscriptions: [azureSubscription({ planId: "plan-busy", status: "active" }), azureSubscription({ id: "a2", planId: "plan-idle", status: "disabled" })],
      reservations: [reservation()],
      softwarePurchases: [softwarePurchase()],
    });
    expect(clearableSubscriptions(s, NOW).map((w) => [w.subscription.id, w.action])).toEqual([
      ["legacy-active", "suspend"],
      ["nce-active", "cancel"],
      ["nce-past", "suspend"],
      // plan-idle waits too: the customer's live reservation keeps Partner Center from suspending it
    ]);
    const reservationGone = { ...s, reservations: [] };
    expect(clearableSubscriptions(reservationGone, NOW).map((w) => w.subscription.id)).toContain("plan-idle");
  });

  test("returns the subscription objects themselves and nothing for a clean customer", () => {
    const sub = legacySubscription();
    const [work] = clearableSubscriptions(snapshot({ subscriptions: [sub] }), NOW);
    expect(work?.subscription).toBe(sub);
    expect(clearableSubscriptions(snapshot(), NOW)).toEqual([]);
  });

  test("a new-commerce subscription moves from cancel to suspend once its window closes", () => {
    const until = at(DAY);
    const s = snapshot({ subscriptions: [nceSubscription({ cancellableUntil: until })] });
    expect(clearableSubscriptions(s, until).map((w) => w.action)).toEqual(["cancel"]);
    expect(clearableSubscriptions(s, new Date(until.getTime() + 1)).map((w) => w.action)).toEqual(["suspend"]);
  });
});

describe("checkSubscriptionAction", () => {
  const s = snapshot({
    subscriptions: [
      legacySubscription({ id: "legacy", offerName: "Office 365 E3" }),
      legacySubscription({ id: "legacy-suspended", offerName: "Exchange Online", status: "suspended" }),
      nceSubscription({ id: "nce", offerName: "Teams Essentials" }),
      nceSubscription({ id: "nce-deleted", offerName: "Visio Plan 2", status: "deleted" }),
      nceSubscription({ id: "nce-past", offerName: "Project Plan 3", cancellableUntil: at(-DAY), commitmentEndDate: new Date("2027-01-31T00:00:00Z") }),
      azurePlan({ id: "plan", offerName: "Azure plan" }),
    ],
  });

  test("suspending an active legacy subscription is one PATCH of its status", () => {
    const result = checkSubscriptionAction(s, "legacy", "suspend", NOW);
    expect(result).toMatchObject({ ok: true, subscription: { id: "legacy" }, changes: [{ status: "suspended" }] });
  });

  test("cancelling a new-commerce subscription inside its window, or suspending it, are both allowed", () => {
    expect(checkSubscriptionAction(s, "nce", "cancel", NOW)).toMatchObject({ ok: true, changes: [{ status: "deleted" }] });
    expect(checkSubscriptionAction(s, "nce", "suspend", NOW)).toMatchObject({ ok: true, changes: [{ autoRenewEnabled: false }, { status: "suspended" }] });
  });

  test("past its window a new-commerce subscription can be suspended or have auto-renew turned off, not cancelled", () => {
    expect(checkSubscriptionAction(s, "nce-past", "suspend", NOW).ok).toBe(true);
    expect(checkSubscriptionAction(s, "nce-past", "turn_off_auto_renew", NOW)).toMatchObject({ ok: true, changes: [{ autoRenewEnabled: false }] });
    const cancel = checkSubscriptionAction(s, "nce-past", "cancel", NOW);
    expect(cancel.ok).toBe(false);
    if (!cancel.ok) expect(cancel.reason).toMatch(/^Project Plan 3 cannot be cancelled here: Suspend it/);
  });

  test("an Azure plan is suspended with Suspend plan only", () => {
    expect(checkSubscriptionAction(s, "plan", "suspend_plan", NOW)).toMatchObject({ ok: true, changes: [{ status: "suspended" }] });
    expect(checkSubscriptionAction(s, "plan", "cancel", NOW).ok).toBe(false);
    expect(checkSubscriptionAction(s, "legacy", "suspend_plan", NOW).ok).toBe(false);
  });

  test("an unknown subscription id is refused", () => {
    expect(checkSubscriptionAction(s, "not-there", "suspend", NOW)).toEqual({ ok: false, reason: "That subscription no longer belongs to this customer." });
  });

  test("something already done is refused with nothing to do", () => {
    expect(checkSubscriptionAction(s, "legacy-suspended", "suspend", NOW)).toEqual({ ok: false, reason: "Exchange Online is already suspended; nothing to do." });
    expect(checkSubscriptionAction(s, "nce-deleted", "cancel", NOW)).toEqual({ ok: false, reason: "Visio Plan 2 is already deleted; nothing to do." });
  });

  test("cancelling a legacy subscription is refused, pointing at suspending instead", () => {
    expect(checkSubscriptionAction(s, "legacy", "cancel", NOW)).toEqual({ ok: false, reason: "Office 365 E3 cannot be cancelled here: Suspend the subscription." });
  });
});
