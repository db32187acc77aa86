import {
  CASE_STATES,
  type CaseState,
  DEFAULT_APPROVAL_TTL_MS,
  type PreconditionResult,
  type RemovalCase,
  TERMINAL_STATES,
  type Transition,
  approve,
  beginRemoval,
  cancel,
  completeRemoval,
  confirmRemoval,
  describeState,
  evaluatePreconditions,
  expire,
  failRemoval,
  isActive,
  reject,
  reminderDue,
  reopen,
  requestBeingSaved,
  requestRemoval,
  REQUEST_SAVE_GRACE_MS,
  withdraw,
} from "../../src/domain";
import { APPROVER, DAY, HOUR, NOW, OPENER, REQUESTER, at, caseIn, freshCase, frozen, legacySubscription, snapshot } from "./fixtures";

const WHY = "Customer moved to another partner";
const READY: PreconditionResult = evaluatePreconditions(snapshot(), NOW);
const BLOCKED_TWICE: PreconditionResult = evaluatePreconditions(
  snapshot({ subscriptions: [legacySubscription({ id: "a" }), legacySubscription({ id: "b" })] }),
  NOW,
);
const BLOCKED_ONCE: PreconditionResult = evaluatePreconditions(snapshot({ subscriptions: [legacySubscription()] }), NOW);

function next(t: Transition): RemovalCase {
  if (!t.ok) throw new Error(`expected success, got ${t.refusal.code}: ${t.refusal.message}`);
  return t.next;
}

function refusalOf(t: Transition) {
  if (t.ok) throw new Error(`expected a refusal, got a move to ${t.next.state}`);
  return t.refusal;
}

// Each transition with arguments that would succeed if the state allowed it, so a refusal in the
// matrix below can only be about the state.
interface TransitionSpec {
  name: string;
  allowed: readonly CaseState[];
  to: CaseState;
  run: (c: RemovalCase) => Transition;
}

const TRANSITIONS: readonly TransitionSpec[] = [
  { name: "requestRemoval", allowed: ["open"], to: "awaiting_approval", run: (c) => requestRemoval(c, REQUESTER, READY, NOW, DEFAULT_APPROVAL_TTL_MS, WHY) },
  { name: "approve", allowed: ["awaiting_approval"], to: "approved", run: (c) => approve(c, APPROVER, at(HOUR)) },
  { name: "reject", allowed: ["awaiting_approval"], to: "rejected", run: (c) => reject(c, APPROVER, "not this customer", at(HOUR)) },
  { name: "expire", allowed: ["awaiting_approval"], to: "expired", run: (c) => expire(c, at(2 * DAY)) },
  { name: "cancel", allowed: ["open", "awaiting_approval"], to: "cancelled", run: (c) => cancel(c, at(HOUR)) },
  { name: "reopen", allowed: ["approved"], to: "open", run: (c) => reopen(c) },
  { name: "withdraw", allowed: ["awaiting_approval"], to: "open", run: (c) => withdraw(c, REQUESTER) },
  { name: "beginRemoval", allowed: ["approved", "failed"], to: "removing", run: (c) => beginRemoval(c, READY) },
  { name: "completeRemoval", allowed: ["removing"], to: "removed", run: (c) => completeRemoval(c, at(HOUR)) },
  { name: "failRemoval", allowed: ["removing"], to: "failed", run: (c) => failRemoval(c, "Partner Center said 500") },
  { name: "confirmRemoval", allowed: ["approved", "removing", "failed"], to: "removed", run: (c) => confirmRemoval(c, at(HOUR)) },
];

describe("the transition matrix", () => {
  const illegal = TRANSITIONS.flatMap((t) => CASE_STATES.filter((s) => !t.allowed.includes(s)).map((s) => [t.name, s, t] as const));
  const legal = TRANSITIONS.flatMap((t) => t.allowed.map((s) => [t.name, s, t] as const));

  test("covers every state for every transition", () => {
    expect(illegal.length + legal.length).toBe(TRANSITIONS.length * CASE_STATES.length);
    expect(legal).toHaveLength(15);
    expect(illegal).toHaveLength(TRANSITIONS.length * CASE_STATES.length - 15);
  });

  test.each(illegal)("%s from %s is refused as wrong_state and leaves the case untouched", (_name, state, t) => {
    const c = frozen(caseIn(state));
    const before = structuredClone(c);
    const refusal = refusalOf(t.run(c));
    expect(refusal.code).toBe("wrong_state");
    expect(refusal.message).toContain("Contoso");
    expect(refusal.message).toContain(describeState(state));
    expect(c).toEqual(before);
  });

  test.each(legal)("%s from %s moves the case on by exactly one version", (_name, state, t) => {
    const c = frozen(caseIn(state));
    const before = structuredClone(c);
    const moved = next(t.run(c));
    expect(moved.state).toBe(t.to);
    expect(moved.version).toBe(c.version + 1);
    expect(moved.id).toBe(c.id);
    expect(moved.tenantId).toBe(c.tenantId);
    expect(moved).not.toBe(c);
    expect(c).toEqual(before);
  });

  test("the only edges between states are the documented ones", () => {
    const edges = new Set<string>();
    for (const t of TRANSITIONS) {
      for (const state of CASE_STATES) {
        const result = t.run(caseIn(state));
        if (result.ok) edges.add(`${state}->${result.next.state}`);
      }
    }
    expect([...edges].sort()).toEqual(
      [
        "open->awaiting_approval",
        "open->cancelled",
        "awaiting_approval->approved",
        "awaiting_approval->rejected",
        "awaiting_approval->expired",
        "awaiting_approval->cancelled",
        "awaiting_approval->open",
        "approved->open",
        "approved->removing",
        "failed->removing",
        "removing->removed",
        "removing->failed",
        // a read shows the relationship gone: the removal is confirmed
        "approved->removed",
        "failed->removed",
      ].sort(),
    );
  });
});

describe("requestRemoval", () => {
  test("open → awaiting_approval records who asked, when, and when the request expires", () => {
    const moved = next(requestRemoval(freshCase(), REQUESTER, READY, NOW, 2 * HOUR, WHY));
    expect(moved).toMatchObject({ state: "awaiting_approval", requestedBy: REQUESTER, requestedAt: NOW, expiresAt: at(2 * HOUR), openedBy: OPENER, version: 1 });
  });

  test("uses the default 24-hour approval window when given it", () => {
    expect(DEFAULT_APPROVAL_TTL_MS).toBe(24 * HOUR);
    expect(next(requestRemoval(freshCase(), REQUESTER, READY, NOW, DEFAULT_APPROVAL_TTL_MS, WHY)).expiresAt).toEqual(at(DAY));
  });

  test("is refused as blocked while anything blocks, saying how many items", () => {
    const c = frozen(freshCase());
    const before = structuredClone(c);
    const refusal = refusalOf(requestRemoval(c, REQUESTER, BLOCKED_TWICE, NOW, DEFAULT_APPROVAL_TTL_MS, WHY));
    expect(refusal.code).toBe("blocked");
    expect(refusal.message).toContain("2 items still block it");
    expect(c).toEqual(before);
  });

  test("the blocked message uses the singular for one item", () => {
    expect(refusalOf(requestRemoval(freshCase(), REQUESTER, BLOCKED_ONCE, NOW, DEFAULT_APPROVAL_TTL_MS, WHY)).message).toContain("1 item still blocks it");
  });

  test("keeps the requester's justification, trimmed, and refuses none or one too long", () => {
    expect(next(requestRemoval(freshCase(), REQUESTER, READY, NOW, DAY, "  Contract ended in March  ")).justification).toBe("Contract ended in March");
    expect(refusalOf(requestRemoval(freshCase(), REQUESTER, READY, NOW, DAY, "  ")).code).toBe("justification_required");
    expect(refusalOf(requestRemoval(freshCase(), REQUESTER, READY, NOW, DAY, "x".repeat(501))).code).toBe("justification_required");
  });

  test("state is checked before preconditions", () => {
    expect(refusalOf(requestRemoval(caseIn("approved"), REQUESTER, BLOCKED_TWICE, NOW, DEFAULT_APPROVAL_TTL_MS, WHY)).code).toBe("wrong_state");
  });
});

describe("approve", () => {
  const waiting = () => caseIn("awaiting_approval", { requestedBy: REQUESTER, expiresAt: at(DAY) });

  test("awaiting_approval → approved records the approver and the time", () => {
    expect(next(approve(waiting(), APPROVER, at(HOUR)))).toMatchObject({ state: "approved", decidedBy: APPROVER, decidedAt: at(HOUR) });
  });

  test("the requester cannot approve their own request", () => {
    const c = frozen(waiting());
    const refusal = refusalOf(approve(c, REQUESTER, at(HOUR)));
    expect(refusal.code).toBe("own_request");
    expect(refusal.message).toMatch(/someone else/);
    expect(c.state).toBe("awaiting_approval");
  });

  test("the person who opened the case may approve when someone else requested removal", () => {
    expect(next(approve(waiting(), OPENER, at(HOUR))).decidedBy).toBe(OPENER);
  });

  test("is allowed exactly at expiresAt and refused as expired one millisecond later", () => {
    expect(approve(waiting(), APPROVER, at(DAY)).ok).toBe(true);
    const refusal = refusalOf(approve(waiting(), APPROVER, at(DAY + 1)));
    expect(refusal.code).toBe("expired");
    expect(refusal.message).toContain(at(DAY).toISOString());
  });
});

describe("requestBeingSaved: a press on a card posted moments before its request is saved", () => {
  const requested = at(HOUR);
  const MINUTE = 60 * 1000;

  test("an open case without a request, pressed for a request made seconds ago, is waited for", () => {
    expect(requestBeingSaved(freshCase(), requested, at(HOUR + 2_000))).toBe(true);
  });

  test("not once the grace has passed, nor for a request before the case was opened, nor without a named request", () => {
    expect(requestBeingSaved(freshCase(), requested, at(HOUR + REQUEST_SAVE_GRACE_MS))).toBe(false);
    expect(requestBeingSaved(freshCase(), at(-MINUTE), at(0))).toBe(false);
    expect(requestBeingSaved(freshCase(), undefined, at(HOUR))).toBe(false);
    // a press stamped later than now (another clock) is not a request on its way
    expect(requestBeingSaved(freshCase(), at(HOUR + 1), at(HOUR))).toBe(false);
  });

  test("not when the case holds a request or is past open: those are decided as they stand", () => {
    const saved = next(requestRemoval(freshCase(), REQUESTER, READY, requested, DAY, WHY));
    expect(requestBeingSaved(saved, requested, at(HOUR + 1_000))).toBe(false);
    for (const state of CASE_STATES.filter((s) => s !== "open")) expect(requestBeingSaved(caseIn(state), requested, at(HOUR + 1_000))).toBe(false);
  });
});

describe("reject", () => {
  test("needs a reason that is not blank", () => {
    for (const reason of ["", "   ", "\n\t "]) {
      const c = frozen(caseIn("awaiting_approval"));
      const before = structuredClone(c);
      expect(refusalOf(reject(c, APPROVER, reason, NOW)).code).toBe("reason_required");
      expect(c).toEqual(before);
    }
  });

  test("records the trimmed reason, who rejected and when", () => {
    expect(next(reject(caseIn("awaiting_approval"), APPROVER, "  wrong tenant \n", at(HOUR)))).toMatchObject({
      state: "rejected",
      rejectReason: "wrong tenant",
      decidedBy: APPROVER,
      decidedAt: at(HOUR),
    });
  });
});

describe("expire", () => {
  test("is refused as not_expired up to and including the deadline", () => {
    expect(refusalOf(expire(caseIn("awaiting_approval", { expiresAt: at(DAY) }), NOW)).code).toBe("not_expired");
    expect(refusalOf(expire(caseIn("awaiting_approval", { expiresAt: at(DAY) }), at(DAY))).code).toBe("not_expired");
  });

  test("moves to expired after the deadline", () => {
    expect(next(expire(caseIn("awaiting_approval", { expiresAt: at(DAY) }), at(DAY + 1))).state).toBe("expired");
  });

  test("a request without a deadline never expires", () => {
    expect(refusalOf(expire(caseIn("awaiting_approval", { expiresAt: null }), at(365 * DAY))).code).toBe("not_expired");
  });
});

describe("cancel, reopen, beginRemoval, completeRemoval, failRemoval", () => {
  test("cancel records when", () => {
    expect(next(cancel(freshCase(), at(HOUR)))).toMatchObject({ state: "cancelled", decidedAt: at(HOUR) });
  });

  test("reopen clears the request and the decision so the case must be requested and approved again", () => {
    const approved = caseIn("approved", { decidedBy: APPROVER, decidedAt: at(HOUR) });
    expect(next(reopen(approved))).toMatchObject({
      state: "open",
      requestedBy: null,
      requestedAt: null,
      expiresAt: null,
      decidedBy: null,
      decidedAt: null,
      openedBy: OPENER,
    });
  });

  test("beginRemoval is refused as blocked when the live re-check finds new blockers, from approved and from failed", () => {
    for (const state of ["approved", "failed"] as const) {
      const c = frozen(caseIn(state));
      const before = structuredClone(c);
      expect(refusalOf(beginRemoval(c, BLOCKED_ONCE)).code).toBe("blocked");
      expect(c).toEqual(before);
    }
  });

  test("retrying a failed case clears the old failure reason", () => {
    expect(next(beginRemoval(caseIn("failed", { failureReason: "timeout" }), READY))).toMatchObject({ state: "removing", failureReason: null });
  });

  test("completeRemoval records when the relationship was removed", () => {
    expect(next(completeRemoval(caseIn("removing"), at(HOUR)))).toMatchObject({ state: "removed", removedAt: at(HOUR) });
  });

  test("confirmRemoval completes a failed removal that a read showed done, clearing the failure", () => {
    const confirmed = next(confirmRemoval(caseIn("failed", { failureReason: "HTTP 503 from Partner Center" }), at(HOUR)));
    expect(confirmed).toMatchObject({ state: "removed", removedAt: at(HOUR), failureReason: null });
    // never for a case nobody approved
    expect(refusalOf(confirmRemoval(caseIn("awaiting_approval"), NOW)).code).toBe("wrong_state");
  });

  test("failRemoval records the reason", () => {
    expect(next(failRemoval(caseIn("removing"), "HTTP 503 from Partner Center"))).toMatchObject({ state: "failed", failureReason: "HTTP 503 from Partner Center" });
  });
});

describe("a decision names its request", () => {
  const waiting = () => caseIn("awaiting_approval", { requestedBy: REQUESTER, requestedAt: NOW, expiresAt: at(DAY) });

  test("a button from an older request for the same case decides nothing", () => {
    const older = at(-2 * HOUR);
    for (const t of [approve(waiting(), APPROVER, at(HOUR), older), reject(waiting(), APPROVER, "no", at(HOUR), older), withdraw(waiting(), REQUESTER, older)]) {
      expect(refusalOf(t).code).toBe("superseded");
    }
    expect(next(approve(waiting(), APPROVER, at(HOUR), NOW)).state).toBe("approved");
  });

  test("a reject reason longer than the modal allows is refused", () => {
    expect(refusalOf(reject(waiting(), APPROVER, "x".repeat(501), at(HOUR))).code).toBe("reason_required");
  });
});

describe("withdraw", () => {
  test("the requester takes the request back: the case is open again, with nothing of the request left", () => {
    const c = caseIn("awaiting_approval", { justification: "ended", remindedAt: at(HOUR) });
    expect(next(withdraw(c, REQUESTER))).toMatchObject({ state: "open", requestedBy: null, requestedAt: null, expiresAt: null, justification: null, remindedAt: null, version: 4 });
  });

  test("nobody else may withdraw it", () => {
    expect(refusalOf(withdraw(caseIn("awaiting_approval"), APPROVER)).code).toBe("not_requester");
  });
});

describe("reminderDue", () => {
  const waiting = (overrides = {}) => caseIn("awaiting_approval", { requestedAt: NOW, expiresAt: at(DAY), ...overrides });

  test("two hours before a day-long request expires, once", () => {
    expect(reminderDue(waiting(), at(DAY - 3 * HOUR))).toBe(false);
    expect(reminderDue(waiting(), at(DAY - 2 * HOUR))).toBe(true);
    expect(reminderDue(waiting({ remindedAt: at(DAY - 2 * HOUR) }), at(DAY - HOUR))).toBe(false);
    expect(reminderDue(waiting(), at(DAY + 1))).toBe(false);
  });

  test("a short window is reminded in its last quarter", () => {
    const short = waiting({ expiresAt: at(4 * HOUR) });
    expect(reminderDue(short, at(2 * HOUR))).toBe(false);
    expect(reminderDue(short, at(3 * HOUR))).toBe(true);
  });

  test("only a pending request", () => {
    expect(reminderDue(caseIn("approved", { requestedAt: NOW, expiresAt: at(DAY) }), at(DAY - HOUR))).toBe(false);
  });
});

describe("a whole life", () => {
  test("open → approved → reopened → approved → removing → failed → retried → removed, one version per step", () => {
    let c = freshCase();
    expect(c.version).toBe(0);
    const steps: Array<(c: RemovalCase) => Transition> = [
      (x) => requestRemoval(x, REQUESTER, READY, NOW, DEFAULT_APPROVAL_TTL_MS, WHY),
      (x) => approve(x, APPROVER, at(HOUR)),
      (x) => reopen(x),
      (x) => requestRemoval(x, REQUESTER, READY, at(2 * HOUR), DEFAULT_APPROVAL_TTL_MS, WHY),
      (x) => approve(x, APPROVER, at(3 * HOUR)),
      (x) => beginRemoval(x, READY),
      (x) => failRemoval(x, "timeout"),
      (x) => beginRemoval(x, READY),
      (x) => completeRemoval(x, at(4 * HOUR)),
    ];
    const states: CaseState[] = [c.state];
    steps.forEach((step, index) => {
      const moved = next(step(c));
      expect(moved.version).toBe(index + 1);
      states.push(moved.state);
      c = moved;
    });
    expect(states).toEqual(["open", "awaiting_approval", "approved", "open", "awaiting_approval", "approved", "removing", "failed", "removing", "removed"]);
    expect(c).toMatchObject({ removedAt: at(4 * HOUR), failureReason: null, decidedBy: APPROVER, requestedBy: REQUESTER });
  });
});

describe("isActive and TERMINAL_STATES", () => {
  test("removed, rejected, cancelled and expired are terminal; failed can still be retried", () => {
    expect([...TERMINAL_STATES].sort()).toEqual(["cancelled", "expired", "rejected", "removed"]);
    expect(CASE_STATES.filter((s) => isActive(s))).toEqual(["open", "awaiting_approval", "approved", "removing", "failed"]);
  });

  test("no transition leaves a terminal state", () => {
    for (const state of TERMINAL_STATES) {
      for (const t of TRANSITIONS) expect(t.run(caseIn(state)).ok).toBe(false);
    }
  });

  test("every state has words for people", () => {
    for (const state of CASE_STATES) expect(describeState(state)).toMatch(/\S/);
    expect(describeState("awaiting_approval")).toBe("waiting for approval");
  });
});
