// The app's set-up checks (npm run doctor's) for admins, the approvers (domain/policy.ts
// checkAdmin): the last run as it was kept, never a run per reader; a stale one is refreshed in
// the background, and an admin may run them again on demand.
import type { SetupReport } from "./ports";
import { type Outcome, refused, success } from "./results";
import type { WorkflowContext } from "./workflow-context";

/** What an admin's Home shows of the set-up checks. */
export interface SetupShown {
  /** the last finished run; null before the first */
  report: SetupReport | null;
  /** a run is under way (its result replaces this one when it ends) */
  running: boolean;
}

/** Older than this, a Home open starts a fresh run in the background (and shows the old one meanwhile). */
export const SETUP_STALE_MS = 15 * 60_000;

/** The last run for an admin's Home; starts one in the background when there is none or it is stale. */
export function setupForHome(ctx: WorkflowContext): SetupShown | null {
  const checks = ctx.setupChecks;
  if (!checks) return null;
  const report = checks.latest();
  if (!checks.running() && (!report || ctx.clock().getTime() - report.checkedAt.getTime() > SETUP_STALE_MS)) {
    // its end is heard by whoever publishes the Home (the check cache's listeners)
    void checks.refresh(SETUP_STALE_MS).catch((error: unknown) => ctx.logger.warn({ err: String(error) }, "the set-up checks failed to run"));
  }
  return { report, running: checks.running() };
}

/** An admin asks for the checks now: refused (and audited) for anyone else. */
export async function rerunSetupChecks(ctx: WorkflowContext, actor: string): Promise<Outcome<SetupReport>> {
  const permission = await ctx.permit(actor, "administer", "setup.check", null);
  if (!permission.ok) return permission;
  const checks = ctx.setupChecks;
  if (!checks) return refused("not_actionable", "This app runs without its set-up checks.");
  // always a new run, unless one is under way: then this press waits for it (a double press runs them once)
  const report = await checks.refresh();
  const failedChecks = report.checks.filter((c) => c.status === "failed").map((c) => c.name);
  await ctx.store.audit.append({ actor, action: "setup.checked", outcome: failedChecks.length === 0 ? "ok" : "failed", detail: { failed: failedChecks, checkedAt: report.checkedAt.toISOString() }, at: ctx.clock() });
  return success(report);
}
