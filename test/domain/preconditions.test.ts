import {
  type Blocker,
  type BlockerKind,
  type CustomerSnapshot,
  type PreconditionResult,
  type SubscriptionStatus,
  checkSubscriptionAction,
  clearableSubscriptions,
  evaluatePreconditions,
  isInsideWindow,
} from "../../src/domain";
import { DAY, NOW, at, customer, legacySubscription, nceSubscription, reservation, snapshot, softwarePurchase } from "./fixtures";

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

describe("evaluatePreconditions: ready", () => {
  test("a customer with nothing left is ready", () => {
    expect(evaluatePreconditions(snapshot(), NOW)).toEqual({ ready: true, blockers: [] });
  });

  test("cancelled reservations and software purchases do not block", () => {
    const s = snapshot({
      reservations: [reservation({ status: "cancelled" })],
      softwarePurchases: [softwarePurchase({ status: "cancelled" }), softwarePurchase({ id: "order-2", status: "cancelled", cancellableUntil: null })],
    });
    expect(evaluatePreconditions(s, NOW)).toEqual({ ready: true, blockers: [] });
  });

  test.each<SubscriptionStatus>(["suspended", "deleted", "expired", "disabled"])("a legacy subscription that is %s does not block", (status) => {
    expect(evaluatePreconditions(snapshot({ subscriptions: [legacySubscription({ status })] }), NOW)).toEqual({ ready: true, blockers: [] });
  });

  test.each<SubscriptionStatus>(["deleted", "expired"])("an NCE subscription that is %s does not block, inside or outside its window", (status) => {
    const subs = [
      nceSubscription({ id: "in", status, cancellableUntil: at(DAY) }),
      nceSubscription({ id: "out", status, cancellableUntil: at(-DAY) }),
      nceSubscription({ id: "none", status, cancellableUntil: null }),
    ];
    expect(evaluatePreconditions(snapshot({ subscriptions: subs }), NOW)).toEqual({ ready: true, blockers: [] });
  });

  test("a clean mix of finished items is ready", () => {
    const s = snapshot({
      subscriptions: [
        legacySubscription({ id: "a", status: "suspended" }),
        legacySubscription({ id: "b", status: "deleted" }),
        nceSubscription({ id: "c", status: "deleted" }),
        nceSubscription({ id: "d", status: "expired", cancellableUntil: null }),
      ],
      reservations: [reservation({ status: "cancelled" })],
      softwarePurchases: [softwarePurchase({ status: "cancelled" })],
    });
    expect(evaluatePreconditions(s, NOW).ready).toBe(true);
  });
});

describe("evaluatePreconditions: every blocker kind", () => {
  test.each<SubscriptionStatus>(["active", "pending"])("a %s legacy subscription blocks and is cleared by suspending it", (status) => {
    const sub = legacySubscription({ status, offerName: "Office 365 E3", quantity: 10 });
    const blocker = onlyBlocker(snapshot({ subscriptions: [sub] }));
    expect(blocker).toEqual({
      kind: "active_legacy_subscription",
      itemId: sub.id,
      itemName: "Office 365 E3 (×10)",
      reason: `Subscription is ${status}.`,
      step: "suspend_subscription",
      stepText: "Suspend the subscription.",
      actionable: true,
    });
  });

  test("an active NCE subscription inside its window blocks and is cleared by cancelling (not suspending) it", () => {
    const sub = nceSubscription({ status: "active", cancellableUntil: at(2 * DAY) });
    const blocker = onlyBlocker(snapshot({ subscriptions: [sub] }));
    expect(blocker).toMatchObject({
      kind: "nce_subscription_in_window",
      itemId: sub.id,
      itemName: "Microsoft 365 Business Premium (×5)",
      step: "cancel_subscription",
      actionable: true,
    });
    expect(blocker.reason).toMatch(/must be cancelled, not suspended/);
    expect(blocker.stepText).toContain(at(2 * DAY).toISOString());
  });

  test("a pending NCE subscription inside its window blocks the same way", () => {
    const blocker = onlyBlocker(snapshot({ subscriptions: [nceSubscription({ status: "pending" })] }));
    expect(blocker.kind).toBe("nce_subscription_in_window");
    expect(blocker.reason).toContain("pending");
  });

  test("a suspended NCE subscription inside its window still blocks: it keeps billing", () => {
    const sub = nceSubscription({ status: "suspended" });
    const blocker = onlyBlocker(snapshot({ subscriptions: [sub] }));
    expect(blocker).toMatchObject({ kind: "nce_subscription_in_window", itemId: sub.id, step: "cancel_subscription", actionable: true });
    expect(blocker.reason).toMatch(/suspended NCE subscription keeps billing/);
  });

  test.each<SubscriptionStatus>(["active", "suspended", "pending"])(
    "a %s NCE subscription past its window blocks, says billing continues until the commitment end date and offers what can be done",
    (status) => {
      const end = new Date("2027-06-30T00:00:00.000Z");
      const sub = nceSubscription({ status, cancellableUntil: at(-DAY), commitmentEndDate: end });
      const blocker = onlyBlocker(snapshot({ subscriptions: [sub] }));
      expect(blocker).toMatchObject({ kind: "nce_subscription_outside_window", itemId: sub.id, step: "wait_for_term_end", actionable: false });
      expect(blocker.reason).toMatch(/cannot be cancelled/);
      expect(blocker.reason).toMatch(/billing continues until 2027-06-30/);
      expect(blocker.stepText).toMatch(/auto-renew/);
      expect(blocker.stepText).toContain("2027-06-30");
      expect(blocker.stepText).toMatch(/Microsoft support/);
    },
  );

  test("an NCE subscription with no cancellation window at all is outside the window, and the text copes with an unknown end date", () => {
    const blocker = onlyBlocker(snapshot({ subscriptions: [nceSubscription({ cancellableUntil: null, commitmentEndDate: null })] }));
    expect(blocker.kind).toBe("nce_subscription_outside_window");
    expect(blocker.reason).toContain("billing continues until the end of its term");
  });

  test("an active Azure reservation blocks and must be cancelled in the Azure portal", () => {
    const ri = reservation({ id: "ri-9", name: "Savings plan" });
    expect(onlyBlocker(snapshot({ reservations: [ri] }))).toMatchObject({
      kind: "azure_reservation",
      itemId: "ri-9",
      itemName: "Savings plan",
      step: "cancel_reservation_in_azure_portal",
      actionable: false,
    });
    expect(onlyBlocker(snapshot({ reservations: [ri] })).stepText).toMatch(/Azure portal/);
  });

  test("an active software purchase inside its window blocks and can be cancelled", () => {
    const purchase = softwarePurchase({ id: "order-7", name: "SQL Server", cancellableUntil: at(DAY) });
    expect(onlyBlocker(snapshot({ softwarePurchases: [purchase] }))).toMatchObject({
      kind: "software_purchase",
      itemId: "order-7",
      itemName: "SQL Server",
      step: "cancel_software_purchase",
      actionable: true,
    });
  });

  test.each([
    ["past its window", at(-DAY)],
    ["with no window", null],
  ])("an active software purchase %s blocks and needs Microsoft support", (_label, cancellableUntil) => {
    const blocker = onlyBlocker(snapshot({ softwarePurchases: [softwarePurchase({ cancellableUntil })] }));
    expect(blocker).toMatchObject({ kind: "software_purchase_outside_window", step: "contact_microsoft_support", actionable: false });
    expect(blocker.reason).toMatch(/past its cancellation window/);
    expect(blocker.stepText).toMatch(/Microsoft support/);
  });

  test("a customer with no relationship any more blocks, naming the customer", () => {
    const s = snapshot({ customer: customer({ tenantId: "t-42", companyName: "Fabrikam", relationshipToPartner: "none" }) });
    expect(onlyBlocker(s)).toMatchObject({
      kind: "no_reseller_relationship",
      itemId: "t-42",
      itemName: "Fabrikam",
      step: "none_relationship_already_removed",
      actionable: false,
    });
  });

  test("every blocker kind is reported at once, none hiding another", () => {
    const s = snapshot({
      customer: customer({ relationshipToPartner: "none" }),
      subscriptions: [
        legacySubscription({ id: "legacy" }),
        nceSubscription({ id: "nce-in" }),
        nceSubscription({ id: "nce-out", cancellableUntil: at(-DAY) }),
        legacySubscription({ id: "legacy-suspended", status: "suspended" }),
      ],
      reservations: [reservation({ id: "ri" }), reservation({ id: "ri-done", status: "cancelled" })],
      softwarePurchases: [softwarePurchase({ id: "sw-in" }), softwarePurchase({ id: "sw-out", cancellableUntil: at(-DAY) })],
    });
    const blockers = blockersOf(evaluatePreconditions(s, NOW));
    const kinds = new Map(blockers.map((b) => [b.itemId, b.kind]));
    expect(Object.fromEntries(kinds)).toEqual({
      "tenant-1": "no_reseller_relationship",
      legacy: "active_legacy_subscription",
      "nce-in": "nce_subscription_in_window",
      "nce-out": "nce_subscription_outside_window",
      ri: "azure_reservation",
      "sw-in": "software_purchase",
      "sw-out": "software_purchase_outside_window",
    });
    const allKinds: BlockerKind[] = [
      "active_legacy_subscription",
      "nce_subscription_in_window",
      "nce_subscription_outside_window",
      "azure_reservation",
      "software_purchase",
      "software_purchase_outside_window",
      "no_reseller_relationship",
    ];
    expect(new Set(blockers.map((b) => b.kind))).toEqual(new Set(allKinds));
    for (const blocker of blockers) {
      expect(blocker.reason.trim()).not.toBe("");
      expect(blocker.stepText.trim()).not.toBe("");
    }
  });

  test("it does not modify the snapshot", () => {
    const s = snapshot({ subscriptions: [legacySubscription(), nceSubscription()], reservations: [reservation()] });
    const before = structuredClone(s);
    evaluatePreconditions(s, NOW);
    clearableSubscriptions(s, NOW);
    expect(s).toEqual(before);
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

  test("an NCE subscription flips from cancel to wait-for-term-end at the boundary", () => {
    const s = snapshot({ subscriptions: [nceSubscription({ cancellableUntil: until })] });
    expect(onlyBlocker(s, until).kind).toBe("nce_subscription_in_window");
    expect(onlyBlocker(s, new Date(until.getTime() + 1)).kind).toBe("nce_subscription_outside_window");
  });

  test("a software purchase flips from cancellable to support-only at the boundary", () => {
    const s = snapshot({ softwarePurchases: [softwarePurchase({ cancellableUntil: until })] });
    expect(onlyBlocker(s, until).kind).toBe("software_purchase");
    expect(onlyBlocker(s, new Date(until.getTime() + 1)).kind).toBe("software_purchase_outside_window");
  });
});

describe("clearableSubscriptions", () => {
  test("suspends legacy, cancels NCE inside the window, and skips what cannot or need not be touched", () => {
    const s = snapshot({
      subscriptions: [
        legacySubscription({ id: "legacy-active" }),
        legacySubscription({ id: "legacy-pending", status: "pending" }),
        legacySubscription({ id: "legacy-suspended", status: "suspended" }),
        nceSubscription({ id: "nce-active" }),
        nceSubscription({ id: "nce-suspended", status: "suspended" }),
        nceSubscription({ id: "nce-outside", cancellableUntil: at(-1) }),
        nceSubscription({ id: "nce-deleted", status: "deleted" }),
      ],
      reservations: [reservation()],
      softwarePurchases: [softwarePurchase()],
    });
    expect(clearableSubscriptions(s, NOW).map((w) => [w.subscription.id, w.action])).toEqual([
      ["legacy-active", "suspend"],
      ["legacy-pending", "suspend"],
      ["nce-active", "cancel"],
      ["nce-suspended", "cancel"],
    ]);
  });

  test("returns the subscription objects themselves and nothing for a clean customer", () => {
    const sub = legacySubscription();
    const [work] = clearableSubscriptions(snapshot({ subscriptions: [sub] }), NOW);
    expect(work?.subscription).toBe(sub);
    expect(clearableSubscriptions(snapshot(), NOW)).toEqual([]);
  });

  test("an NCE subscription drops out once its window closes", () => {
    const until = at(DAY);
    const s = snapshot({ subscriptions: [nceSubscription({ cancellableUntil: until })] });
    expect(clearableSubscriptions(s, until)).toHaveLength(1);
    expect(clearableSubscriptions(s, new Date(until.getTime() + 1))).toEqual([]);
  });
});

describe("checkSubscriptionAction", () => {
  const s = snapshot({
    subscriptions: [
      legacySubscription({ id: "legacy", offerName: "Office 365 E3" }),
      legacySubscription({ id: "legacy-suspended", offerName: "Exchange Online", status: "suspended" }),
      nceSubscription({ id: "nce", offerName: "Teams Essentials" }),
      nceSubscription({ id: "nce-deleted", offerName: "Visio Plan 2", status: "deleted" }),
      nceSubscription({ id: "nce-outside", offerName: "Project Plan 3", cancellableUntil: at(-DAY), commitmentEndDate: new Date("2027-01-31T00:00:00Z") }),
    ],
  });

  test("suspending an active legacy subscription is allowed", () => {
    const result = checkSubscriptionAction(s, "legacy", "suspend", NOW);
    expect(result.ok).toBe(true);
    if (result.ok) expect(result.subscription.id).toBe("legacy");
  });

  test("cancelling an NCE subscription inside its window is allowed", () => {
    const result = checkSubscriptionAction(s, "nce", "cancel", NOW);
    expect(result.ok).toBe(true);
    if (result.ok) expect(result.subscription.id).toBe("nce");
  });

  test("an unknown subscription id is refused", () => {
    expect(checkSubscriptionAction(s, "not-there", "suspend", NOW)).toEqual({ ok: false, reason: "That subscription no longer belongs to this customer." });
  });

  test("an already suspended legacy subscription is refused with nothing to do", () => {
    expect(checkSubscriptionAction(s, "legacy-suspended", "suspend", NOW)).toEqual({
      ok: false,
      reason: "Exchange Online is already suspended; nothing to do.",
    });
  });

  test("an already cancelled NCE subscription is refused with nothing to do", () => {
    expect(checkSubscriptionAction(s, "nce-deleted", "cancel", NOW)).toEqual({ ok: false, reason: "Visio Plan 2 is already deleted; nothing to do." });
  });

  test("suspending an NCE subscription is refused, pointing at cancelling instead", () => {
    const result = checkSubscriptionAction(s, "nce", "suspend", NOW);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.reason).toMatch(/^Teams Essentials cannot be suspended: Cancel it before/);
  });

  test("cancelling a legacy subscription is refused, pointing at suspending instead", () => {
    expect(checkSubscriptionAction(s, "legacy", "cancel", NOW)).toEqual({
      ok: false,
      reason: "Office 365 E3 cannot be cancelled: Suspend the subscription.",
    });
  });

  test("cancelling an NCE subscription past its window is refused with the billing advice", () => {
    const result = checkSubscriptionAction(s, "nce-outside", "cancel", NOW);
    expect(result.ok).toBe(false);
    if (!result.ok) {
      expect(result.reason).toMatch(/^Project Plan 3 cannot be cancelled: /);
      expect(result.reason).toContain("2027-01-31");
    }
    expect(checkSubscriptionAction(s, "nce-outside", "suspend", NOW).ok).toBe(false);
  });

  test("the window boundary applies to a single cancel too", () => {
    const until = at(DAY);
    const one = snapshot({ subscriptions: [nceSubscription({ id: "x", cancellableUntil: until })] });
    expect(checkSubscriptionAction(one, "x", "cancel", until).ok).toBe(true);
    expect(checkSubscriptionAction(one, "x", "cancel", new Date(until.getTime() + 1)).ok).toBe(false);
  });
});
