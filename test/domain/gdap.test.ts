import {
  GDAP_STATUSES,
  decideGdap,
  gdapOutcome,
  gdapRefusal,
  gdapRoleName,
  isEndedGdapStatus,
  isGdapOutcomeFinal,
  isSettledGdapStatus,
  knownGdapStatus,
  planGdapEnding,
  type GdapRelationship,
} from "../../src/domain/gdap";

function relationship(id: string, status: string): GdapRelationship {
  return {
    id,
    displayName: `rel ${id}`,
    status,
    customerTenantId: "0f3c6b1e-2a4d-4e8f-9b7a-1c2d3e4f5a61",
    customerName: "Fabrikam",
    roleIds: ["62e90394-69f5-4237-9190-012177145e10"],
    duration: "P730D",
    createdAt: null,
    activatedAt: null,
    endsAt: null,
    etag: 'W/"x"',
  };
}

describe("GDAP decisions, status by status", () => {
  test.each([
    ["active", "terminate"],
    ["approvalPending", "terminate"],
    ["approved", "terminate"],
    ["activating", "terminate"],
    ["created", "delete"],
    ["terminationRequested", "none"],
    ["terminating", "none"],
    ["terminated", "none"],
    ["expiring", "none"],
    ["expired", "none"],
  ])("%s → %s", (status, action) => {
    const decision = decideGdap(status);
    expect(decision.action).toBe(action);
    expect(decision.status).toBe(status);
    expect(decision.reason.length).toBeGreaterThan(10);
  });

  test("every documented status (but the enum sentinel) has a decision other than unrecognised", () => {
    for (const status of GDAP_STATUSES) expect(decideGdap(status).action).not.toBe("unrecognised");
  });

  test.each(["unknownFutureValue", "suspended", "", "activeish"])("unknown status %j fails closed: untouched and reported", (status) => {
    const decision = decideGdap(status);
    expect(decision.action).toBe("unrecognised");
    expect(decision.status).toBeNull();
    expect(decision.reason).toContain(JSON.stringify(status));
    expect(decision.reason).toMatch(/left untouched/);
  });

  test("Graph's casing is tolerated, other spellings are not", () => {
    expect(knownGdapStatus("Active")).toBe("active");
    expect(knownGdapStatus("TERMINATIONREQUESTED")).toBe("terminationRequested");
    expect(knownGdapStatus("termination_requested")).toBeNull();
  });
});

describe("planning the ending of a customer's relationships", () => {
  test("sorts each relationship into terminate, delete, nothing to do or unrecognised, keeping order", () => {
    const plan = planGdapEnding([
      relationship("a", "active"),
      relationship("b", "created"),
      relationship("c", "terminated"),
      relationship("d", "unknownFutureValue"),
      relationship("e", "approvalPending"),
      relationship("f", "expired"),
    ]);
    expect(plan.items.map((i) => i.relationship.id)).toEqual(["a", "b", "c", "d", "e", "f"]);
    expect(plan.toTerminate.map((i) => i.relationship.id)).toEqual(["a", "e"]);
    expect(plan.toDelete.map((i) => i.relationship.id)).toEqual(["b"]);
    expect(plan.nothingToDo.map((i) => i.relationship.id)).toEqual(["c", "f"]);
    expect(plan.unrecognised.map((i) => i.relationship.id)).toEqual(["d"]);
  });

  test("an empty list plans nothing", () => {
    const plan = planGdapEnding([]);
    expect(plan.items).toEqual([]);
    expect(plan.toTerminate).toEqual([]);
  });
});

describe("settling and ending", () => {
  test("moving statuses are waited for; resting and unknown ones are not", () => {
    for (const s of ["approved", "activating", "terminationRequested", "terminating", "expiring"]) expect(isSettledGdapStatus(s)).toBe(false);
    for (const s of ["active", "approvalPending", "created", "terminated", "expired", "unknownFutureValue"]) expect(isSettledGdapStatus(s)).toBe(true);
  });

  test("only terminationRequested and terminated may be called ended", () => {
    const ended = GDAP_STATUSES.filter(isEndedGdapStatus);
    expect(ended.sort()).toEqual(["terminated", "terminationRequested"]);
    expect(isEndedGdapStatus("unknownFutureValue")).toBe(false);
  });
});

describe("outcomes come from what was read back", () => {
  test("a terminated or termination-requested read-back is ended", () => {
    expect(gdapOutcome("terminate", { gone: false, status: "terminated" })).toMatchObject({ kind: "ended", status: "terminated" });
    expect(gdapOutcome("terminate", { gone: false, status: "terminationRequested" })).toMatchObject({ kind: "ended", status: "terminationRequested" });
  });

  test("a terminate that reads back active is not ended, whatever was sent", () => {
    const outcome = gdapOutcome("terminate", { gone: false, status: "active" });
    expect(outcome).toMatchObject({ kind: "not_ended", status: "active" });
    expect(outcome.text).toMatch(/Not ended/);
    expect(isGdapOutcomeFinal(outcome)).toBe(false);
  });

  test("a deleted relationship is deleted only when Graph no longer finds it", () => {
    expect(gdapOutcome("delete", { gone: true }).kind).toBe("deleted");
    expect(gdapOutcome("delete", { gone: false, status: "created" })).toMatchObject({ kind: "not_ended", status: "created" });
    // a terminated relationship that disappears is not confirmed as ended
    expect(gdapOutcome("terminate", { gone: true }).kind).toBe("not_ended");
  });

  test("expired, expiring and terminating need nothing but are never called ended", () => {
    for (const status of ["expired", "expiring", "terminating"]) {
      const outcome = gdapOutcome("none", { gone: false, status });
      expect(outcome.kind).toBe("nothing_to_do");
      expect(outcome.text).not.toMatch(/^Ended/);
      expect(isGdapOutcomeFinal(outcome)).toBe(true);
    }
  });

  test("an unknown read-back status is reported, not ended", () => {
    const outcome = gdapOutcome("terminate", { gone: false, status: "unknownFutureValue" });
    expect(outcome).toMatchObject({ kind: "unrecognised", status: "unknownFutureValue" });
    expect(isGdapOutcomeFinal(outcome)).toBe(false);
  });

  test("a refusal keeps Graph's words", () => {
    const outcome = gdapRefusal("  The relationship is locked by an open support request.  ");
    expect(outcome).toEqual({ kind: "refused", text: "Graph refused to end it: The relationship is locked by an open support request.", graphMessage: "The relationship is locked by an open support request." });
    expect(gdapRefusal("").text).toMatch(/gave no reason/);
    expect(isGdapOutcomeFinal(outcome)).toBe(false);
  });
});

test("role names: well-known built-in roles by template id, anything else as its id", () => {
  expect(gdapRoleName("62E90394-69F5-4237-9190-012177145E10")).toBe("Global Administrator");
  expect(gdapRoleName("729827e3-9c14-49f7-bb1b-9608f156bbb8")).toBe("Helpdesk Administrator");
  expect(gdapRoleName("00000000-0000-0000-0000-000000000001")).toBe("00000000-0000-0000-0000-000000000001");
});
