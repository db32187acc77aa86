// Works a GDAP ending job once Partner Center has confirmed the removal: lists the customer's
// relationships (once), then for each one to end reads where it stands, sends what its status
// calls for (terminate, or delete for one still `created`), and reads it back. The outcome comes
// from the read-back, never from what was sent: "ended" only when Graph shows the termination
// requested or done. A terminate sent before a crash shows in Graph (its status, its requests),
// so a resumed job does not send it again. The job runner (job-runner.ts) claims it once the
// removal has released it (gdap-ending.ts), and renews its lease.
import { type GdapReadBack, type GdapRelationship, decideGdap, gdapOutcome, gdapRefusal, isGdapOutcomeFinal, planGdapEnding } from "../domain";
import { type GdapApi, GraphError } from "../graph/gdap-api";
import { type Logger, silentLogger } from "../logger";
import { type AuditEventInput, type ClaimedJob, GDAP_ENDING, GDAP_LIST_ITEM, type GdapJob, type GdapJobItem, type ItemOutcome, type StoredCase, type Store, gdapProgress } from "../store";
import { describeGraphError, graphWords } from "./gdap-ending";
import type { JobEnd, JobHandler, JobLease } from "./job-runner";
import { type CaseObserver, ignoringObserver } from "./ports";

export interface GdapEndingOptions {
  /** how a relationship is read back after a request: until its status settles, within this bound */
  readBack?: { intervalMs?: number; maxWaitMs?: number };
}

/** Errors that are Graph's answer about this relationship, as opposed to Graph not answering. */
const REFUSALS = new Set(["refused", "forbidden", "conflict", "precondition_failed", "not_found"]);

export class GdapEndingJob implements JobHandler {
  readonly kind = GDAP_ENDING;
  /** one customer's relationships at a time per process, one relationship at a time: Graph is not hurried */
  readonly concurrency = 1;
  private readonly readBack: { intervalMs: number; maxWaitMs: number };

  constructor(
    private readonly store: Store,
    private readonly gdap: GdapApi,
    options: GdapEndingOptions = {},
    private observer: CaseObserver = ignoringObserver,
    private readonly logger: Logger = silentLogger,
  ) {
    this.readBack = { intervalMs: options.readBack?.intervalMs ?? 1_000, maxWaitMs: options.readBack?.maxWaitMs ?? 5_000 };
  }

  setObserver(observer: CaseObserver): void {
    this.observer = observer;
  }

  async work(claimed: ClaimedJob, lease: JobLease): Promise<JobEnd> {
    const job = await this.store.gdapJobs.get(claimed.id);
    const c = job ? await this.store.cases.get(job.caseId) : null;
    const owner = job?.leaseOwner;
    if (!job || !c || !owner) return "handled";
    this.logger.info({ jobId: job.id, caseId: c.id }, "ending GDAP relationships");
    this.observer.caseChanged(c.id, "gdap_progress");
    let items = await this.store.gdapJobs.items(job.id);
    const listing = items.find((i) => i.relationshipId === GDAP_LIST_ITEM);
    if (listing?.state === "pending") {
      if (!(await this.list(job, c, listing))) return this.finish(job, owner, c);
      items = await this.store.gdapJobs.items(job.id);
    }
    for (const item of items.filter((i) => i.action !== "list" && i.state === "pending")) {
      if (lease.lost) return "handled";
      if (lease.stopping) return "released";
      const outcome = await this.endOne(job, c, item);
      // another process took the job over while this item was worked: it records the item itself
      if (lease.lost) return "handled";
      await this.store.jobs.recordItems(job.id, [outcome]);
      this.observer.caseChanged(c.id, "gdap_progress");
    }
    return this.finish(job, owner, c);
  }

  /** Lists the relationships and keeps those to end as items; false when Graph could not be read. */
  private async list(job: GdapJob, c: StoredCase, listing: GdapJobItem): Promise<boolean> {
    let relationships: GdapRelationship[];
    try {
      relationships = await this.gdap.listRelationships(c.tenantId);
    } catch (error) {
      const reason = `Could not read the GDAP relationships from Microsoft Graph: ${describeGraphError(error)}`;
      await this.store.jobs.recordItems(job.id, [{ subscriptionId: listing.relationshipId, state: "failed", lastError: reason, audit: this.audit(job, c, "gdap.listed", "failed", requestIdOf(error), { error: reason }) }]);
      return false;
    }
    const plan = planGdapEnding(relationships);
    const toEnd = [...plan.toTerminate, ...plan.toDelete].map(({ relationship, decision }) => ({
      relationshipId: relationship.id,
      name: relationship.displayName,
      action: decision.action === "delete" ? ("delete" as const) : ("terminate" as const),
    }));
    const named = (items: typeof plan.items) => items.map((i) => ({ relationshipId: i.relationship.id, name: i.relationship.displayName, status: i.relationship.status }));
    await this.store.gdapJobs.recordListed(
      job.id,
      toEnd,
      this.audit(job, c, "gdap.listed", "ok", null, {
        toTerminate: named(plan.toTerminate),
        toDelete: named(plan.toDelete),
        nothingToDo: named(plan.nothingToDo),
        // statuses this app does not know: never touched, left for a person
        leftForAPerson: named(plan.unrecognised),
      }),
    );
    return true;
  }

  /** One relationship: where it stands, the request its status calls for, and what Graph shows after. */
  private async endOne(job: GdapJob, c: StoredCase, item: GdapJobItem): Promise<ItemOutcome> {
    const calls = { clientRequestId: item.clientRequestId };
    let current: GdapRelationship | null;
    try {
      current = (await this.gdap.getRelationship(item.relationshipId, calls)).value;
    } catch (error) {
      if (!(error instanceof GraphError && error.kind === "not_found")) return this.notConfirmed(job, c, item, `Could not read it from Microsoft Graph: ${describeGraphError(error)}`, requestIdOf(error));
      current = null;
    }
    if (current) {
      const decision = decideGdap(current.status);
      try {
        if (decision.action === "terminate") await this.terminate(job, c, item);
        if (decision.action === "delete") await this.delete(job, c, item, current);
      } catch (error) {
        return this.refused(job, c, item, `gdap.${decision.action}`, current, error);
      }
    }
    let readBack: GdapReadBack;
    let requestId: string | null = null;
    try {
      const read = current ? await this.gdap.readUntilSettled(item.relationshipId, this.readBack) : null;
      requestId = read?.requestId ?? null;
      readBack = read?.value.relationship ? { gone: false, status: read.value.relationship.status } : { gone: true };
    } catch (error) {
      return this.notConfirmed(job, c, item, `Reading it back from Microsoft Graph failed, so its ending is not confirmed: ${describeGraphError(error)}`, requestIdOf(error));
    }
    const outcome = gdapOutcome(item.action === "delete" ? "delete" : "terminate", readBack);
    const final = isGdapOutcomeFinal(outcome);
    const status = readBack.gone ? "(gone)" : readBack.status;
    return {
      subscriptionId: item.relationshipId,
      state: final ? "done" : "failed",
      lastError: final ? null : outcome.text,
      audit: this.audit(job, c, "gdap.final_status", final ? "ok" : "failed", requestId, { relationshipId: item.relationshipId, name: item.name, status, outcome: outcome.kind, text: outcome.text }),
    };
  }

  private async terminate(job: GdapJob, c: StoredCase, item: GdapJobItem): Promise<void> {
    // a terminate sent before a crash (or whose answer was lost) is listed: not sent twice
    const earlier = (await this.gdap.listRequests(item.relationshipId)).find((r) => r.action.toLowerCase() === "terminate" && r.status !== "failed");
    if (earlier) {
      await this.store.audit.append(this.audit(job, c, "gdap.terminate", "ok", null, { relationshipId: item.relationshipId, name: item.name, graphRequestId: earlier.id, requestStatus: earlier.rawStatus, sent: "earlier; not sent again" }));
      return;
    }
    const sent = await this.gdap.terminateRelationship(item.relationshipId, { clientRequestId: item.clientRequestId });
    await this.store.audit.append(
      this.audit(job, c, "gdap.terminate", "ok", sent.requestId, { relationshipId: item.relationshipId, name: item.name, graphRequestId: sent.value.id, requestStatus: sent.value.rawStatus, clientRequestId: sent.clientRequestId }),
    );
  }

  private async delete(job: GdapJob, c: StoredCase, item: GdapJobItem, current: GdapRelationship): Promise<void> {
    const deleted = await this.gdap.deleteRelationship(current, { clientRequestId: item.clientRequestId });
    await this.store.audit.append(
      this.audit(job, c, "gdap.delete", "ok", deleted.requestId, { relationshipId: item.relationshipId, name: item.name, alreadyGone: deleted.value.alreadyGone, clientRequestId: deleted.clientRequestId }),
    );
  }

  /**
   * Graph refused (its words kept) or did not answer: the request's refusal is audited at once,
   * and the item fails with its final status (what Graph showed; a refusal changes nothing).
   */
  private async refused(job: GdapJob, c: StoredCase, item: GdapJobItem, action: string, current: GdapRelationship, error: unknown): Promise<ItemOutcome> {
    const isRefusal = error instanceof GraphError && REFUSALS.has(error.kind);
    const text = isRefusal ? gdapRefusal(graphWords(error)).text : `Not ended: Microsoft Graph did not take the request (${describeGraphError(error)}).`;
    const about = { relationshipId: item.relationshipId, name: item.name };
    await this.store.audit.append(
      this.audit(job, c, action, isRefusal ? "refused" : "failed", requestIdOf(error), { ...about, error: graphWords(error), code: error instanceof GraphError ? (error.details.code ?? null) : null, clientRequestId: item.clientRequestId }),
    );
    return {
      subscriptionId: item.relationshipId,
      state: "failed",
      lastError: text,
      audit: this.audit(job, c, "gdap.final_status", "failed", null, { ...about, status: current.status, outcome: isRefusal ? "refused" : "not_sent", text }),
    };
  }

  private notConfirmed(job: GdapJob, c: StoredCase, item: GdapJobItem, text: string, requestId: string | null): ItemOutcome {
    return { subscriptionId: item.relationshipId, state: "failed", lastError: text, audit: this.audit(job, c, "gdap.final_status", "failed", requestId, { relationshipId: item.relationshipId, name: item.name, outcome: "not_confirmed", text }) };
  }

  /** Out of attempts (the process kept dying under it): the case shows it as not finished, with Retry. */
  async gaveUp(claimed: ClaimedJob, error: string): Promise<void> {
    if (!claimed.caseId) return;
    this.observer.caseChanged(claimed.caseId, "gdap_finished");
    this.observer.workGaveUp({ caseId: claimed.caseId, userId: claimed.requestedBy, what: "Ending the GDAP relationships", error });
  }

  private async finish(job: GdapJob, owner: string, c: StoredCase): Promise<JobEnd> {
    const items = await this.store.gdapJobs.items(job.id);
    const listingFailed = items.some((i) => i.action === "list" && i.state === "failed");
    const progress = gdapProgress(items);
    const state = listingFailed || progress.failed > 0 ? "failed" : "done";
    if (await this.store.jobs.finish(job.id, owner, state)) {
      await this.store.audit.append(this.audit(job, c, "gdap.ending_finished", state === "done" ? "ok" : "failed", null, { ...progress, listed: !listingFailed }));
      this.logger.info({ jobId: job.id, caseId: c.id, state, ...progress }, "GDAP ending finished");
      this.observer.caseChanged(c.id, "gdap_finished");
    }
    return "handled";
  }

  private audit(job: GdapJob, c: StoredCase, action: string, outcome: AuditEventInput["outcome"], requestId: string | null, detail: Record<string, unknown>): AuditEventInput {
    return { actor: job.requestedBy, action, outcome, caseId: c.id, tenantId: c.tenantId, pcRequestId: requestId, detail: { jobId: job.id, ...detail } };
  }
}

function requestIdOf(error: unknown): string | null {
  return error instanceof GraphError ? (error.details.requestId ?? null) : null;
}
