import { type AccessPolicy, DEFAULT_APPROVAL_TTL_MS, approve, checkApprover, checkOperator, mayApprove, mayOperate } from "../../src/domain";
import { APPROVER, HOUR, REQUESTER, at, caseIn } from "./fixtures";

function policy(operators: string[], approvers: string[]): AccessPolicy {
  return { operators: new Set(operators), approvers: new Set(approvers), approvalTtlMs: DEFAULT_APPROVAL_TTL_MS };
}

describe("operators", () => {
  test("an empty operator list lets any workspace member operate", () => {
    const open = policy([], []);
    expect(mayOperate(open, "U_ANYONE")).toBe(true);
    expect(mayOperate(open, "U_SOMEONE_ELSE")).toBe(true);
    expect(checkOperator(open, "U_ANYONE")).toEqual({ ok: true });
  });

  test("with operators listed, only they may operate", () => {
    const listed = policy(["U_OP1", "U_OP2"], []);
    expect(mayOperate(listed, "U_OP1")).toBe(true);
    expect(mayOperate(listed, "U_OP2")).toBe(true);
    expect(mayOperate(listed, "U_STRANGER")).toBe(false);
  });

  test("being an approver does not make you an operator", () => {
    expect(mayOperate(policy(["U_OP1"], [APPROVER]), APPROVER)).toBe(false);
  });

  test("checkOperator refuses with not_operator and says how to get access", () => {
    const check = checkOperator(policy(["U_OP1"], []), "U_STRANGER");
    expect(check).toEqual({
      ok: false,
      code: "not_operator",
      message: "Only offboarding operators can do that. Ask an admin to add you to OPERATOR_USER_IDS.",
    });
    expect(checkOperator(policy(["U_OP1"], []), "U_OP1")).toEqual({ ok: true });
  });
});

describe("approvers", () => {
  test("only listed approvers may approve", () => {
    const p = policy([], [APPROVER]);
    expect(mayApprove(p, APPROVER)).toBe(true);
    expect(mayApprove(p, "U_STRANGER")).toBe(false);
  });

  test("an empty approver list means nobody may approve (unlike operators)", () => {
    expect(mayApprove(policy([], []), "U_ANYONE")).toBe(false);
  });

  test("being an operator does not make you an approver", () => {
    expect(mayApprove(policy(["U_OP1"], [APPROVER]), "U_OP1")).toBe(false);
  });

  test("checkApprover refuses with not_approver and says nothing changed", () => {
    expect(checkApprover(policy([], [APPROVER]), "U_STRANGER")).toEqual({
      ok: false,
      code: "not_approver",
      message: "Only approvers can approve or reject a removal. Nothing was changed.",
    });
    expect(checkApprover(policy([], [APPROVER]), APPROVER)).toEqual({ ok: true });
  });
});

describe("four eyes", () => {
  test("a requester who is also an approver still cannot approve their own request", () => {
    const p = policy([], [REQUESTER, APPROVER]);
    const c = caseIn("awaiting_approval", { requestedBy: REQUESTER, expiresAt: at(24 * HOUR) });
    expect(checkApprover(p, REQUESTER)).toEqual({ ok: true });
    const own = approve(c, REQUESTER, at(HOUR));
    expect(own.ok).toBe(false);
    if (!own.ok) expect(own.refusal.code).toBe("own_request");
    const other = approve(c, APPROVER, at(HOUR));
    expect(other.ok).toBe(true);
    if (other.ok) expect(other.next.decidedBy).toBe(APPROVER);
  });
});

describe("approval expiry", () => {
  test("defaults to 24 hours", () => {
    expect(DEFAULT_APPROVAL_TTL_MS).toBe(24 * 60 * 60 * 1000);
  });
});
