// Where people see a case: the messages a front end posted for it. The case keeps one case
// message; two requests posting one at once must not both win.
import type { MessageRef } from "../store";
import type { WorkflowContext } from "./workflow-context";

/** What the case points at after an attempt to point it at a newly posted message. */
export type CaseMessagePlacement = { placed: true } | { placed: false; current: MessageRef | null };

/**
 * Points the case at a message just posted, only if it still points where the caller saw it.
 * Otherwise someone else's message won, and the caller is told which one it is.
 */
export async function placeCaseMessage(ctx: WorkflowContext, caseId: string, seen: MessageRef | null, posted: MessageRef): Promise<CaseMessagePlacement> {
  if (await ctx.store.cases.replaceCaseMessage(caseId, seen, posted)) return { placed: true };
  return { placed: false, current: (await ctx.store.cases.get(caseId))?.caseMessage ?? null };
}
