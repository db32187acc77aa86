import {
  BATCH_MAX,
  type BatchCandidate,
  approve,
  approveBatch,
  batchCase,
  batchReminderDue,
  batchStep,
  checkBatchSelection,
  decidedOnCardOnly,
  expireBatch,
  finishBatch,
  followCase,
  newBatch,
  openCase,
  rejectBatch,
  removedOutcome,
  takeOut,
} from "../../src/domain";
import { APPROVER, HOUR, NOW, REQUESTER, at } from "./fixtures";

const WHY = "Contracts ended in the spring";

function candidates(n: number, cleanupClass: BatchCandidate["cleanupClass"] = "ready"): BatchCandidate[] {
  return Array.from({ length: n }, (_, i) => ({ tenantId: `T-${i}`, companyName: `Customer ${i}`, domain: `c${i}.example`, cleanupClass }));
}

function select(selected: string[], options: Partial<Parameters<typeof checkBatchSelection>[0]> = {}) {
  return checkBatchSelection({ selected, scanFinished: true, candidates: candidates(60), activeCases: new Map(), justification: WHY, ...options });
}

const batch = () => newBatch({ id: "b1", requestedBy: REQUESTER, now: NOW, approvalTtlMs: 24 * HOUR, justification: WHY, scanJobId: "scan-1" });

describe("what goes into a batch", () => {
  test("ready and suspend-only customers of a finished scan, case-insensitive ids, duplicates once", () => {
    const mixed = [...candidates(2), { tenantId: "S-1", companyName: "Contoso", domain: "contoso.example", cleanupClass: "suspend_only" as const }];
    const chosen = checkBatchSelection({ selected: ["t-0", "T-1", "T-1", "S-1"], scanFinished: true, candidates: mixed, activeCases: new Map(), justification: WHY });
    expect(chosen.ok && chosen.value.map((c) => c.tenantId)).toEqual(["T-0", "T-1", "S-1"]);
  });

  test(`at most ${BATCH_MAX}, at least one`, () => {
    const ids = candidates(BATCH_MAX + 1).map((c) => c.tenantId);
    expect(select(ids.slice(0, BATCH_MAX)).ok).toBe(true);
    expect(select(ids)).toMatchObject({ ok: false, refusal: { code: "too_many" } });
    expect(select([])).toMatchObject({ ok: false, refusal: { code: "empty" } });
  });

  test("blocked, active, unreadable and unknown customers are refused (fail closed)", () => {
    for (const cleanupClass of ["blocked", "active", "unreadable"] as const) {
      expect(select(["T-0"], { candidates: candidates(1, cleanupClass) })).toMatchObject({ ok: false, refusal: { code: "not_candidate" } });
    }
    expect(select(["T-999"])).toMatchObject({ ok: false, refusal: { code: "not_candidate" } });
  });

  test("a customer with an active case is refused, named; a running scan refuses; a justification is needed", () => {
    const refused = select(["T-0", "T-1"], { activeCases: new Map([["t-1", "Customer 1"]]) });
    expect(refused).toMatchObject({ ok: false, refusal: { code: "case_active" } });
    expect(!refused.ok && refused.refusal.message).toContain("Customer 1");
    expect(select(["T-0"], { scanFinished: false })).toMatchObject({ ok: false, refusal: { code: "scan_running" } });
    expect(select(["T-0"], { justification: " " })).toMatchObject({ ok: false, refusal: { code: "justification_required" } });
  });
});

describe("a batch's decision", () => {
  test("four eyes: the requester cannot approve; another approver can, once", () => {
    expect(approveBatch(batch(), REQUESTER, at(HOUR), null)).toMatchObject({ ok: false, refusal: { code: "own_request" } });
    const approved = approveBatch(batch(), APPROVER, at(HOUR), null);
    expect(approved).toMatchObject({ ok: true, value: { state: "approved", decidedBy: APPROVER, version: 1 } });
    if (approved.ok) expect(approveBatch(approved.value, "U_OTHER", at(HOUR), null)).toMatchObject({ ok: false, refusal: { code: "wrong_state" } });
  });

  test("expiry: no approval after the window, and the sweep expires it then, not before", () => {
    expect(approveBatch(batch(), APPROVER, at(25 * HOUR), null)).toMatchObject({ ok: false, refusal: { code: "expired" } });
    expect(expireBatch(batch(), at(23 * HOUR)).ok).toBe(false);
    expect(expireBatch(batch(), at(25 * HOUR))).toMatchObject({ ok: true, value: { state: "expired" } });
  });

  test("where the app ends GDAP relationships, the approval carries the choice; none is refused, never defaulted", () => {
    expect(approveBatch(batch(), APPROVER, at(HOUR), undefined)).toMatchObject({ ok: false, refusal: { code: "gdap_choice_required" } });
    expect(approveBatch(batch(), APPROVER, at(HOUR), true)).toMatchObject({ ok: true, value: { state: "approved", endGdap: true } });
    expect(approveBatch(batch(), APPROVER, at(HOUR), false)).toMatchObject({ ok: true, value: { endGdap: false } });
    // the requester is still told it is their own request first
    expect(approveBatch(batch(), REQUESTER, at(HOUR), undefined)).toMatchObject({ ok: false, refusal: { code: "own_request" } });
  });

  test("reject needs a reason", () => {
    expect(rejectBatch(batch(), APPROVER, "  ", at(HOUR))).toMatchObject({ ok: false, refusal: { code: "reason_required" } });
    expect(rejectBatch(batch(), APPROVER, "Not these", at(HOUR))).toMatchObject({ ok: true, value: { state: "rejected", rejectReason: "Not these" } });
  });

  test("taking customers out: only members; taking every one out cancels the batch", () => {
    const members = ["t-0", "t-1"];
    expect(takeOut(batch(), members, ["T-0"], at(HOUR))).toMatchObject({ ok: true, value: { out: ["t-0"], batch: { state: "awaiting_approval" } } });
    expect(takeOut(batch(), members, ["t-9"], at(HOUR))).toMatchObject({ ok: false, refusal: { code: "not_member" } });
    expect(takeOut(batch(), members, ["t-0", "t-1"], at(HOUR))).toMatchObject({ ok: true, value: { batch: { state: "cancelled" } } });
  });

  test("a batch finishes only when every customer has an outcome", () => {
    const approved = approveBatch(batch(), APPROVER, at(HOUR), null);
    if (!approved.ok) throw new Error("not approved");
    expect(finishBatch(approved.value, ["removed", null]).ok).toBe(false);
    expect(finishBatch(approved.value, ["removed", "not_removed"])).toMatchObject({ ok: true, value: { state: "done" } });
  });
});

describe("each customer is an ordinary case", () => {
  test("its case waits for approval under the batch's request, and the case's own four-eyes rule holds", () => {
    const c = batchCase(openCase({ id: "c1", tenantId: "T-0", companyName: "Customer 0", domain: "c0.example", openedBy: REQUESTER, now: NOW }), batch());
    expect(c).toMatchObject({ state: "awaiting_approval", requestedBy: REQUESTER, justification: WHY, expiresAt: at(24 * HOUR), version: 1 });
    expect(approve(c, REQUESTER, at(HOUR))).toMatchObject({ ok: false, refusal: { code: "own_request" } });
    expect(approve(c, APPROVER, at(25 * HOUR))).toMatchObject({ ok: false, refusal: { code: "expired" } });
  });

  test("execution: remove, suspend first only where the approval covered it, else reopen", () => {
    expect(batchStep("ready", [])).toBe("remove");
    expect(batchStep("suspend_only", [])).toBe("remove");
    expect(batchStep("suspend_only", ["active_legacy_subscription"])).toBe("suspend_then_remove");
    // the approval covered removal only: a legacy subscription active again is not suspended behind it
    expect(batchStep("ready", ["active_legacy_subscription"])).toBe("reopen");
    expect(batchStep("suspend_only", ["active_legacy_subscription", "azure_reservation"])).toBe("reopen");
  });
});

describe("the report follows each customer's case", () => {
  test("removed only once the case is removed; suspensions on record make it suspended and removed", () => {
    expect(removedOutcome(0)).toBe("removed");
    expect(removedOutcome(3)).toBe("suspended_removed");
  });

  test("a not-removed outcome gives way to a removal finished later; nothing else moves", () => {
    expect(followCase("not_removed", "removed", 0)).toBe("removed");
    expect(followCase("not_removed", "removed", 2)).toBe("suspended_removed");
    // still under way, failed or reopened: the recorded outcome stands
    for (const state of ["approved", "removing", "failed", "open", "cancelled"] as const) expect(followCase("not_removed", state, 0)).toBeNull();
    // never recorded yet (the job records it), or already removed: nothing to follow
    expect(followCase(null, "removed", 0)).toBeNull();
    expect(followCase("removed", "removed", 2)).toBeNull();
  });
});

describe("approvers are reminded before a batch expires", () => {
  const batch = (ttlHours: number) => newBatch({ id: "b1", requestedBy: REQUESTER, now: NOW, approvalTtlMs: ttlHours * HOUR, justification: WHY, scanJobId: "scan" });
  test("within a quarter of the window, at most two hours before; once; only while it waits", () => {
    const day = batch(24);
    expect(batchReminderDue(day, at(21 * HOUR))).toBe(false);
    expect(batchReminderDue(day, at(22.5 * HOUR))).toBe(true);
    expect(batchReminderDue(day, at(24.5 * HOUR))).toBe(false);
    expect(batchReminderDue({ ...day, remindedAt: at(22.5 * HOUR) }, at(23 * HOUR))).toBe(false);
    expect(batchReminderDue({ ...day, state: "approved" }, at(23 * HOUR))).toBe(false);
    // a 4-hour window: reminded in its last hour
    expect(batchReminderDue(batch(4), at(2.5 * HOUR))).toBe(false);
    expect(batchReminderDue(batch(4), at(3.5 * HOUR))).toBe(true);
  });
});

describe("a batch customer's case is decided on the card while the batch waits", () => {
  const member = { state: "awaiting_approval" as const, companyName: "Contoso" };
  test("its own approve, reject, withdraw or close is refused, naming the card", () => {
    expect(decidedOnCardOnly(member, { state: "awaiting_approval" })).toMatchObject({ code: "batch_member", message: expect.stringContaining("decided only on the batch's card") });
  });
  test("not a member, or the batch decided, or the case moved on: an ordinary case", () => {
    expect(decidedOnCardOnly(member, null)).toBeNull();
    for (const state of ["approved", "done", "rejected", "expired", "cancelled"] as const) expect(decidedOnCardOnly(member, { state })).toBeNull();
    // a customer the batch reopened, requested again on its own, is decided on its own
    expect(decidedOnCardOnly({ ...member, state: "open" }, { state: "awaiting_approval" })).toBeNull();
  });
});
