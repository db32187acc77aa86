// The Home tab's GDAP boxes are named after the request each decides: Slack keeps an element's
// state per block_id when a view is published again, so when one request leaves the list and the
// next moves up into its place, that next request's box must not inherit the first one's tick.
import { homeView } from "../../src/slack/blocks/info-messages";
import { ACTIONS, numberOf, readGdapChoice } from "../../src/slack/slack-inputs";
import { messageState } from "../../src/stand-ins/slack/slack-request-signer";
import type { StoredCase } from "../../src/store";
import type { HomeSummary } from "../../src/workflow";
import { HOUR, NOW, at, caseIn } from "../domain/fixtures";
import { buttonsOf } from "../support/app-harness";

const waiting = (id: string, requestedAt: Date): StoredCase => ({ ...caseIn("awaiting_approval"), id, requestedAt, caseMessage: null, approvalMessage: null, batchId: null });
const A = waiting("0a0a0a0a-0000-4000-8000-000000000001", NOW);
const B = waiting("0b0b0b0b-0000-4000-8000-000000000002", at(HOUR));

function home(awaitingMe: StoredCase[]): HomeSummary {
  return { mayRead: true, myCases: [], awaitingMe, batchesAwaitingMe: [], isApprover: true, warnings: [], gdapEnabled: true, setup: null };
}
const boxIds = (view: { blocks: unknown[] }) => (view.blocks as Array<{ block_id?: string }>).map((b) => b.block_id ?? "").filter((id) => id.startsWith("gdap_choice"));

test("a request that moves up into another's place gets a box of its own, and its Approve reads that box", () => {
  const before = homeView(home([A, B]), "U_APPROVER");
  const after = homeView(home([B]), "U_APPROVER");
  const [aBox, bBoxBefore] = boxIds(before);
  const [bBoxAfter] = boxIds(after);
  // B now sits where A sat, under a block_id that is not A's: Slack cannot carry A's state over
  expect(bBoxAfter).not.toBe(aBox);
  expect(bBoxAfter?.startsWith("gdap_choice.0.")).toBe(true);
  expect(bBoxBefore?.startsWith("gdap_choice.1.")).toBe(true);

  // B's Approve, pressed with its box unticked, reads "keep them"; with A's old state only, it reads no choice
  const approve = buttonsOf(after.blocks).find((b) => b.action_id === ACTIONS.approve);
  const n = numberOf(String(approve?.id));
  const request = JSON.parse(String(approve?.value)) as { c: string; r: string };
  expect(request.c).toBe(B.id);
  expect(readGdapChoice(messageState(after.blocks, { [`${ACTIONS.endGdapChoice}.0`]: false }), n, request)).toBe(false);
  expect(readGdapChoice(messageState(after.blocks), n, request)).toBe(true);
  expect(readGdapChoice(messageState(before.blocks, { [`${ACTIONS.endGdapChoice}.0`]: false }), n, request)).toBeUndefined();
});
