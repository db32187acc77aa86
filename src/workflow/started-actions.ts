// An action on one item in Partner Center (suspending a subscription, cancelling a purchase) is
// audited as started before it is sent, and as ok or failed once answered. A process that dies
// in between leaves the start unanswered, and the press's job, tried again, reads the item
// already changed: the domain refuses that as nothing to do, and the change would have no event
// of its own. Here the retry answers its own earlier start from what it read back, once.
import type { AuditEvent, StoredCase } from "../store";
import { currentJobKey } from "./job-trace";
import type { WorkflowContext } from "./workflow-context";

/** Where a start keeps the press that made it and the request id its call was sent with. */
const PRESS = "press";

/** The detail of a start: the item, the press's job key (null outside a job) and what was sent. */
export function startDetail(item: Record<string, unknown>, pcRequestId: string | null): Record<string, unknown> {
  return { ...item, [PRESS]: currentJobKey(), ...(pcRequestId ? { sentRequestId: pcRequestId } : {}) };
}

/**
 * This press's own start of `action` on the item, left unanswered by an earlier attempt of its
 * job (the process died between sending and recording); null otherwise, and outside a job.
 */
export async function ownUnansweredStart(ctx: WorkflowContext, removalCase: StoredCase, action: string, item: { field: string; id: string }): Promise<AuditEvent | null> {
  const press = currentJobKey();
  if (!press) return null;
  const last = await ctx.store.audit.latestAbout(removalCase.id, action, item.field, item.id);
  return last?.outcome === "started" && last.detail[PRESS] === press ? last : null;
}

/** The MS-RequestId the start's call went with: sent again, Partner Center knows it for the same call. */
export function sentRequestIdOf(start: AuditEvent | null): string | null {
  const sent = start?.detail["sentRequestId"];
  return typeof sent === "string" ? sent : null;
}

/** Records the started change as done, found made when read back: its own "ok" event, by whoever started it. */
export async function answerFromReadBack(ctx: WorkflowContext, removalCase: StoredCase, start: AuditEvent): Promise<void> {
  const { state: _state, [PRESS]: _press, sentRequestId: _sent, ...what } = start.detail;
  await ctx.audit(start.actor, start.action, "ok", removalCase, sentRequestIdOf(start), {
    ...what,
    readBack: "found done when the press was tried again after its answer went unrecorded",
    startedAt: start.at.toISOString(),
  });
}
