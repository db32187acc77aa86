// The map of ways forward: every state between open and removed names what moves it on, and the
// moves it names are ones the state machine's own transitions make.
import {
  CASE_STATES,
  type CaseState,
  type RemovalCase,
  TERMINAL_STATES,
  type Transition,
  WAYS_FORWARD,
  type WayForwardMove,
  approve,
  beginRemoval,
  cancel,
  confirmRemoval,
  evaluatePreconditions,
  expire,
  failRemoval,
  isActive,
  reject,
  reopen,
  requestRemoval,
  statesMovedBy,
  withdraw,
} from "../../src/domain";
import { APPROVER, DAY, NOW, REQUESTER, at, caseIn, legacySubscription, snapshot } from "./fixtures";

const READY = evaluatePreconditions(snapshot(), NOW);
const BLOCKED = evaluatePreconditions(snapshot({ subscriptions: [legacySubscription()] }), NOW);

/** The transitions each move stands for, tried on a case in `state`; the states they reach. */
function reachedBy(move: WayForwardMove, c: RemovalCase): CaseState[] {
  const tries: Record<WayForwardMove, Transition[]> = {
    request: [requestRemoval(c, REQUESTER, READY, NOW, DAY, "Contract ended")],
    decide: [approve(c, APPROVER, NOW), reject(c, APPROVER, "not now", NOW)],
    withdraw: [withdraw(c, REQUESTER)],
    close: [cancel(c, NOW)],
    expire: [expire(c, at(2 * DAY))],
    // resuming re-checks Partner Center: nothing blocks, new blockers, or the relationship already gone
    resume: [beginRemoval(c, READY), reopen(c), confirmRemoval(c, NOW), failRemoval(c, "Partner Center said no")],
    retry: [beginRemoval(c, READY), beginRemoval(c, BLOCKED), confirmRemoval(c, NOW)],
  };
  return tries[move].flatMap((t) => (t.ok ? [t.next.state] : []));
}

describe("ways forward from each state", () => {
  test.each(CASE_STATES.filter((s) => isActive(s)))("%s has a way forward", (state) => {
    expect(WAYS_FORWARD[state].length).toBeGreaterThan(0);
  });

  test.each([...TERMINAL_STATES])("%s is final: nothing moves it", (state) => {
    expect(WAYS_FORWARD[state]).toEqual([]);
  });

  // approved and removing wait on nobody: a person who pressed once is not asked again
  test.each(["approved", "removing"] as const)("%s is moved on by the app itself, not only by a person", (state) => {
    expect(WAYS_FORWARD[state].some((way) => way.by !== "person")).toBe(true);
  });

  test("a case waiting for approval expires by the sweep", () => {
    expect(statesMovedBy("sweep", "expire")).toEqual(["awaiting_approval"]);
  });

  test("the sweep resumes approved and removing cases, never one that nobody approved", () => {
    expect(statesMovedBy("sweep", "resume")).toEqual(["approved", "removing"]);
  });

  describe.each(CASE_STATES.filter((s) => isActive(s)))("from %s", (state) => {
    const c = caseIn(state, { requestedBy: REQUESTER, expiresAt: at(DAY) });
    test.each(WAYS_FORWARD[state].map((way) => [way.move, way.by, way] as const))("%s by %s leads where it says, and somewhere", (_move, _by, way) => {
      const reached = reachedBy(way.move, c);
      expect(reached.length).toBeGreaterThan(0);
      for (const next of reached) expect(way.to).toContain(next);
      // nothing moves a case back where it stands
      expect(way.to).not.toContain(state);
    });
  });
});
