// New commerce as Partner Center rules it: an active subscription blocks until it is suspended or
// cancelled; suspended, it no longer blocks but keeps billing to its term end, which the
// approver sees per subscription. Every combination of status, window and auto-renew.
import { type SubscriptionStatus, billingNotice, changeApplied, changesFor, evaluatePreconditions, subscriptionBlocker } from "../../src/domain";
import { DAY, NOW, at, legacySubscription, nceSubscription, snapshot } from "./fixtures";

const END = new Date("2027-06-30T00:00:00.000Z");
const none = { azureSubscriptions: [] };

describe("an active new-commerce subscription", () => {
  test.each([
    ["inside its window, auto-renew on", at(2 * DAY), true, "nce_subscription_in_window", ["cancel", "suspend"]],
    ["inside its window, auto-renew off", at(2 * DAY), false, "nce_subscription_in_window", ["cancel", "suspend"]],
    ["past its window, auto-renew on", at(-DAY), true, "nce_subscription_past_window", ["suspend", "turn_off_auto_renew"]],
    ["past its window, auto-renew unknown", at(-DAY), null, "nce_subscription_past_window", ["suspend", "turn_off_auto_renew"]],
    ["past its window, auto-renew off", at(-DAY), false, "nce_subscription_past_window", ["suspend"]],
    ["with no window at all", null, true, "nce_subscription_past_window", ["suspend", "turn_off_auto_renew"]],
  ] as const)("%s blocks and offers %#", (_label, cancellableUntil, autoRenewEnabled, kind, actions) => {
    const sub = nceSubscription({ cancellableUntil, autoRenewEnabled, commitmentEndDate: END });
    const blocker = subscriptionBlocker(sub, none, NOW);
    expect(blocker).toMatchObject({ kind, actions: [...actions], actionable: true });
    // always something to press: never "wait for the term to end"
    expect(blocker?.stepText).not.toMatch(/wait/i);
  });

  test("past its window, the blocker says it cannot be cancelled, bills until the term end and whether it renews", () => {
    const on = subscriptionBlocker(nceSubscription({ cancellableUntil: at(-DAY), commitmentEndDate: END, autoRenewEnabled: true }), none, NOW);
    expect(on?.reason).toMatch(/cannot be cancelled and bills until 2027-06-30; it renews then unless auto-renew is turned off/);
    const off = subscriptionBlocker(nceSubscription({ cancellableUntil: at(-DAY), commitmentEndDate: END, autoRenewEnabled: false }), none, NOW);
    expect(off?.reason).toMatch(/it will not renew/);
    const unknownEnd = subscriptionBlocker(nceSubscription({ cancellableUntil: at(-DAY), commitmentEndDate: null }), none, NOW);
    expect(unknownEnd?.reason).toMatch(/bills until the end of its term/);
  });

  test("inside its window, the blocker names the refund and what suspending would cost", () => {
    const blocker = subscriptionBlocker(nceSubscription({ cancellableUntil: at(2 * DAY), commitmentEndDate: END }), none, NOW);
    expect(blocker?.reason).toContain(at(2 * DAY).toISOString());
    expect(blocker?.stepText).toMatch(/refund/);
    expect(blocker?.stepText).toMatch(/keeps billing until 2027-06-30/);
  });

  test("a pending one waits, with no button", () => {
    expect(subscriptionBlocker(nceSubscription({ status: "pending" }), none, NOW)).toMatchObject({ kind: "pending_subscription", actions: [] });
  });
});

describe("a new-commerce subscription that no longer blocks", () => {
  test.each<SubscriptionStatus>(["suspended", "deleted", "expired", "disabled"])("%s does not block", (status) => {
    expect(subscriptionBlocker(nceSubscription({ status }), none, NOW)).toBeNull();
  });

  test.each([
    [true, "it renews then unless auto-renew is turned off"],
    [false, "it will not renew"],
    [null, "Partner Center does not say whether it renews"],
  ] as const)("suspended, it carries a billing notice with its term end and renewal (auto-renew %s)", (autoRenewEnabled, renewal) => {
    const sub = nceSubscription({ id: "s1", status: "suspended", commitmentEndDate: END, autoRenewEnabled, offerName: "Microsoft 365 E3", quantity: 30 });
    expect(billingNotice(sub, NOW)).toEqual({
      subscriptionId: "s1",
      name: "Microsoft 365 E3 (×30)",
      billsUntil: END,
      renews: autoRenewEnabled,
      text: `Microsoft 365 E3 (×30) is suspended but keeps billing until 2027-06-30; ${renewal}.`,
    });
  });

  test("no notice for a cancelled one, a legacy one, an active one, or one whose term has ended", () => {
    expect(billingNotice(nceSubscription({ status: "deleted" }), NOW)).toBeNull();
    expect(billingNotice(legacySubscription({ status: "suspended" }), NOW)).toBeNull();
    expect(billingNotice(nceSubscription({ status: "active" }), NOW)).toBeNull();
    expect(billingNotice(nceSubscription({ status: "suspended", commitmentEndDate: at(-DAY) }), NOW)).toBeNull();
  });

  test("the preconditions are ready and carry one notice per suspended new-commerce subscription", () => {
    const s = snapshot({
      subscriptions: [
        nceSubscription({ id: "a", status: "suspended", commitmentEndDate: END, autoRenewEnabled: false }),
        nceSubscription({ id: "b", status: "suspended", commitmentEndDate: at(40 * DAY), autoRenewEnabled: true }),
        legacySubscription({ id: "c", status: "suspended" }),
      ],
    });
    const result = evaluatePreconditions(s, NOW);
    expect(result.ready).toBe(true);
    expect(result.notices.map((n) => [n.subscriptionId, n.renews])).toEqual([
      ["a", false],
      ["b", true],
    ]);
  });
});

describe("the PATCHes each action takes", () => {
  test("suspending new commerce turns auto-renew off first (a suspended subscription cannot be updated), unless it is off already", () => {
    expect(changesFor(nceSubscription({ autoRenewEnabled: true }), "suspend")).toEqual([{ autoRenewEnabled: false }, { status: "suspended" }]);
    expect(changesFor(nceSubscription({ autoRenewEnabled: null }), "suspend")).toEqual([{ autoRenewEnabled: false }, { status: "suspended" }]);
    expect(changesFor(nceSubscription({ autoRenewEnabled: false }), "suspend")).toEqual([{ status: "suspended" }]);
  });

  test("legacy suspend, cancel, auto-renew off and suspend plan are one PATCH each", () => {
    expect(changesFor(legacySubscription({ autoRenewEnabled: true }), "suspend")).toEqual([{ status: "suspended" }]);
    expect(changesFor(nceSubscription(), "cancel")).toEqual([{ status: "deleted" }]);
    expect(changesFor(nceSubscription(), "turn_off_auto_renew")).toEqual([{ autoRenewEnabled: false }]);
    expect(changesFor(legacySubscription(), "suspend_plan")).toEqual([{ status: "suspended" }]);
  });

  test("changeApplied tells a change already made from one still to make", () => {
    expect(changeApplied(nceSubscription({ status: "suspended" }), { status: "suspended" })).toBe(true);
    expect(changeApplied(nceSubscription({ status: "active" }), { status: "suspended" })).toBe(false);
    expect(changeApplied(nceSubscription({ autoRenewEnabled: false }), { autoRenewEnabled: false })).toBe(true);
    expect(changeApplied(nceSubscription({ autoRenewEnabled: null }), { autoRenewEnabled: false })).toBe(false);
  });
});
