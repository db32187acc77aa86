// Which Partner Center calls may wait: work nobody is watching (the portfolio scan) runs its calls
// as background, and the pacer starts every interactive call (an operator's read, Suspend all,
// a removal) before any background one. Carried through async calls so the use cases and the
// client need no extra parameter on every method.
import { AsyncLocalStorage } from "node:async_hooks";

export type CallPriority = "interactive" | "background";

const priority = new AsyncLocalStorage<CallPriority>();

/** Runs `work` with every Partner Center call it makes (however deep) at background priority. */
export function inBackground<T>(work: () => Promise<T>): Promise<T> {
  return priority.run("background", work);
}

/** The priority of the calls made here: interactive unless inside inBackground. */
export function currentPriority(): CallPriority {
  return priority.getStore() ?? "interactive";
}
