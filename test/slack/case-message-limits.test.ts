// A case with more blockers than a message holds (Slack: 50 blocks) is cut in its middle: what
// removal does and the case's own buttons (Re-check, Close case) stay at its end, and the message
// still passes the Slack stand-in's Block Kit rules.
import { evaluatePreconditions } from "../../src/domain";
import { caseMessage } from "../../src/slack/blocks/case-message";
import { ACTIONS } from "../../src/slack/slack-inputs";
import { blockKitProblems } from "../../src/stand-ins/slack/block-kit-rules";
import type { StoredCase } from "../../src/store";
import type { CaseView } from "../../src/workflow";
import { DAY, NOW, at, azurePlan, caseIn, nceSubscription, snapshot, softwarePurchase } from "../domain/fixtures";
import { buttonsOf, textOf } from "../support/app-harness";

function bigCase(): CaseView {
  const removalCase: StoredCase = { ...caseIn("open"), caseMessage: null, approvalMessage: null, batchId: null };
  const snap = snapshot({
    // each inside its window: a line and a row of two buttons apiece
    subscriptions: [
      ...Array.from({ length: 20 }, (_, i) => nceSubscription({ id: `nce-${i}`, offerName: `Licence ${i}`, cancellableUntil: at(2 * DAY) })),
      ...Array.from({ length: 5 }, (_, i) => azurePlan({ id: `plan-${i}` })),
    ],
    softwarePurchases: Array.from({ length: 10 }, (_, i) => softwarePurchase({ id: `sw-${i}`, name: `Software ${i}`, cancellableUntil: at(DAY) })),
  });
  return { removalCase, snapshot: snap, preconditions: evaluatePreconditions(snap, NOW), job: null };
}

test("a case too long for one message keeps its closing part: what removal does, and its buttons", () => {
  const { blocks } = caseMessage(bigCase());
  expect(blocks).toHaveLength(50);
  expect(blockKitProblems(blocks, "message")).toEqual([]);
  const last = blocks.at(-1);
  expect(buttonsOf(last ? [last] : []).map((b) => b.action_id)).toEqual([ACTIONS.recheck, ACTIONS.cancelCase]);
  const text = textOf(blocks);
  expect(text).toContain("Removing the relationship will:");
  expect(text).toContain("Remove reseller relationship is inactive");
  expect(text).toMatch(/more lines left out to stay within Slack's limits/);
  // the top of the case is still there
  expect(text).toContain("Active subscriptions (20)");
});
