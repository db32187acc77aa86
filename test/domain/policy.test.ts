import { type AccessPolicy, DEFAULT_APPROVAL_TTL_MS, type PersonFacts, approve, checkAdmin, checkApprover, checkMember, checkOperator, checkReader, mayApprove, mayOperate } from "../../src/domain";
import { APPROVER, HOUR, REQUESTER, at, caseIn } from "./fixtures";

const HOME = "T_HOME";

function policy(operators: string[] | "full_members", approvers: string[], homeTeamId: string | null = HOME): AccessPolicy {
  return { homeTeamId, operators: operators === "full_members" ? operators : new Set(operators), approvers: new Set(approvers), approvalTtlMs: DEFAULT_APPROVAL_TTL_MS };
}

function person(userId: string, overrides: Partial<PersonFacts> = {}): PersonFacts {
  return { userId, teamIds: [HOME], kind: "full_member", ...overrides };
}

describe("who is anyone at all", () => {
  const everyone = policy("full_members", [APPROVER]);

  test("full members of the installing workspace pass", () => {
    expect(checkMember(everyone, person("U_ANYONE"))).toEqual({ ok: true });
  });

  test("a user of another organisation (Slack Connect) never acts, even when listed", () => {
    const listed = policy(["U_EXT"], ["U_EXT"]);
    const external = person("U_EXT", { teamIds: ["T_OTHER"] });
    for (const check of [checkOperator, checkApprover, checkReader]) expect(check(listed, external)).toMatchObject({ ok: false, code: "other_workspace" });
    // one request from elsewhere is enough, whatever the profile says
    expect(checkOperator(listed, person("U_EXT", { teamIds: [HOME, "T_OTHER"] }))).toMatchObject({ ok: false, code: "other_workspace" });
  });

  test("guests, bots and deactivated accounts never act", () => {
    expect(checkOperator(everyone, person("U_GUEST", { kind: "guest" }))).toMatchObject({ ok: false, code: "guest" });
    expect(checkOperator(everyone, person("U_BOT", { kind: "bot" }))).toMatchObject({ ok: false, code: "not_a_person" });
    expect(checkOperator(everyone, person("U_GONE", { kind: "deactivated" }))).toMatchObject({ ok: false, code: "not_a_person" });
  });

  test("what cannot be checked refuses: an unknown person, no workspace seen, or the app's own workspace unknown", () => {
    expect(checkOperator(everyone, person("U1", { kind: "unknown" }))).toMatchObject({ ok: false, code: "unverified" });
    expect(checkOperator(everyone, person("U1", { teamIds: [] }))).toMatchObject({ ok: false, code: "unverified" });
    expect(checkOperator(policy("full_members", [], null), person("U1"))).toMatchObject({ ok: false, code: "unverified" });
  });
});

describe("operators", () => {
  test("with no operator list, every full member operates", () => {
    expect(mayOperate(policy("full_members", []), person("U_ANYONE"))).toBe(true);
  });

  test("with operators listed, only they may operate; an empty list is nobody, not everybody", () => {
    const listed = policy(["U_OP1", "U_OP2"], []);
    expect(mayOperate(listed, person("U_OP1"))).toBe(true);
    expect(mayOperate(listed, person("U_STRANGER"))).toBe(false);
    expect(mayOperate(policy([], []), person("U_ANYONE"))).toBe(false);
  });

  test("being an approver does not make you an operator", () => {
    expect(mayOperate(policy(["U_OP1"], [APPROVER]), person(APPROVER))).toBe(false);
  });

  test("checkOperator refuses with not_operator and says how to get access", () => {
    expect(checkOperator(policy(["U_OP1"], []), person("U_STRANGER"))).toEqual({
      ok: false,
      code: "not_operator",
      message: "Only offboarding operators can do that. Ask an admin to add you to OPERATOR_USER_IDS or the operators' user group.",
    });
  });
});

describe("approvers", () => {
  test("only listed approvers may approve; an empty list means nobody", () => {
    expect(mayApprove(policy([], [APPROVER]), person(APPROVER))).toBe(true);
    expect(mayApprove(policy([], [APPROVER]), person("U_STRANGER"))).toBe(false);
    expect(mayApprove(policy("full_members", []), person("U_ANYONE"))).toBe(false);
  });

  test("being an operator does not make you an approver", () => {
    expect(mayApprove(policy(["U_OP1"], [APPROVER]), person("U_OP1"))).toBe(false);
  });

  test("checkApprover refuses with not_approver and says nothing changed", () => {
    expect(checkApprover(policy([], [APPROVER]), person("U_STRANGER"))).toEqual({ ok: false, code: "not_approver", message: "Only approvers can approve or reject a removal. Nothing was changed." });
  });
});

describe("readers", () => {
  test("operators and approvers read; anyone else does not, even with every full member operating", () => {
    const p = policy(["U_OP1"], [APPROVER]);
    expect(checkReader(p, person("U_OP1"))).toEqual({ ok: true });
    expect(checkReader(p, person(APPROVER))).toEqual({ ok: true });
    expect(checkReader(p, person("U_STRANGER"))).toMatchObject({ ok: false, code: "not_reader" });
    expect(checkReader(policy("full_members", []), person("U_ANYONE"))).toEqual({ ok: true });
    expect(checkReader(policy("full_members", []), person("U_GUEST", { kind: "guest" }))).toMatchObject({ ok: false, code: "guest" });
  });
});

describe("admins (the set-up checks on the Home tab)", () => {
  test("are the approvers: an operator, or every full member when operators are unlisted, is not one", () => {
    const p = policy(["U_OP1"], [APPROVER]);
    expect(checkAdmin(p, person(APPROVER))).toEqual({ ok: true });
    expect(checkAdmin(p, person("U_OP1"))).toMatchObject({ ok: false, code: "not_admin" });
    expect(checkAdmin(policy("full_members", []), person("U_ANYONE"))).toMatchObject({ ok: false, code: "not_admin" });
  });

  test("a listed approver who is a guest, of another workspace or unverified is refused as the approver rules refuse", () => {
    const p = policy([], ["U_X"]);
    expect(checkAdmin(p, person("U_X", { kind: "guest" }))).toMatchObject({ ok: false, code: "guest" });
    expect(checkAdmin(p, person("U_X", { teamIds: ["T_OTHER"] }))).toMatchObject({ ok: false, code: "other_workspace" });
    expect(checkAdmin(p, person("U_X", { kind: "unknown" }))).toMatchObject({ ok: false, code: "unverified" });
  });
});

describe("four eyes", () => {
  test("a requester who is also an approver still cannot approve their own request", () => {
    const p = policy([], [REQUESTER, APPROVER]);
    const c = caseIn("awaiting_approval", { requestedBy: REQUESTER, expiresAt: at(24 * HOUR) });
    expect(checkApprover(p, person(REQUESTER))).toEqual({ ok: true });
    const own = approve(c, REQUESTER, at(HOUR));
    expect(own.ok).toBe(false);
    if (!own.ok) expect(own.refusal.code).toBe("own_request");
    const other = approve(c, APPROVER, at(HOUR));
    expect(other.ok).toBe(true);
  });
});

describe("approval expiry", () => {
  test("defaults to 24 hours", () => {
    expect(DEFAULT_APPROVAL_TTL_MS).toBe(24 * 60 * 60 * 1000);
  });
});
