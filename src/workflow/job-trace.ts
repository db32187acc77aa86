// What one job's log lines carry besides the job itself: the Slack request it works (from its
// key), the case it touched and the MS-RequestIds of the Partner Center calls it made. Kept in
// async context for the job's run, so the workflow and the Partner Center client need not pass it
// along; the app's call observer and the workflow's audit note into it.
import { AsyncLocalStorage } from "node:async_hooks";

export interface JobTrace {
  /** the job's key (a Slack request's, across its retries): what an action started by an earlier attempt is known by */
  key: string | null;
  caseIds: Set<string>;
  partnerCenterRequestIds: Set<string>;
}

// a Suspend all of a few hundred items calls Partner Center for each: the log line keeps the first ones
const MAX_REQUEST_IDS = 20;

const current = new AsyncLocalStorage<JobTrace>();

export function newTrace(key: string | null = null): JobTrace {
  return { key, caseIds: new Set(), partnerCenterRequestIds: new Set() };
}

/** The key of the job at work, null outside one. */
export function currentJobKey(): string | null {
  return current.getStore()?.key ?? null;
}

/** Runs `work` with `trace` as the current one: what it notes, however deep, lands there. */
export function withTrace<T>(trace: JobTrace, work: () => Promise<T>): Promise<T> {
  return current.run(trace, work);
}

export function noteCase(caseId: string): void {
  current.getStore()?.caseIds.add(caseId);
}

export function notePartnerCenterRequest(requestId: string): void {
  const trace = current.getStore();
  if (trace && trace.partnerCenterRequestIds.size < MAX_REQUEST_IDS) trace.partnerCenterRequestIds.add(requestId);
}

/** "slack:trigger:123.456.abc" → "123.456.abc": the trigger_id or event_id Slack sent the request with. */
export function slackRequestIdOf(key: string | null): string | null {
  const match = /^slack:(?:trigger|event):(.+)$/.exec(key ?? "");
  return match?.[1] ?? null;
}

/** The trace's fields for a log line. */
export function traceFields(trace: JobTrace, key: string | null, jobCaseId: string | null): Record<string, unknown> {
  const caseIds = new Set(trace.caseIds);
  if (jobCaseId) caseIds.add(jobCaseId);
  const [caseId, ...others] = [...caseIds];
  return {
    slackRequestId: slackRequestIdOf(key),
    caseId: caseId ?? null,
    ...(others.length > 0 ? { otherCaseIds: others } : {}),
    partnerCenterRequestIds: [...trace.partnerCenterRequestIds],
  };
}
