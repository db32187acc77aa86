// The Suspend-all job's handler (job-runner.ts claims it, renews its lease, and ends failed
// attempts): suspends or cancels the job's pending items with bounded concurrency (the client's
// pacer keeps the Partner Center rate), records finished items in batches (item-recorder.ts), and
// reports progress. A job whose process dies is taken over when the lease runs out; items keep
// their MS-RequestId, so nothing is applied twice.
import { type Subscription, changesFor } from "../domain";
import { PartnerCenterError, type PartnerCenterApi } from "../partner-center/partner-center-api";
import { type ClaimedJob, type Job, type JobItem, type JobProgress, SUSPEND_ALL, type Store } from "../store";
import { ItemRecorder } from "./item-recorder";
import type { JobEnd, JobHandler, JobLease } from "./job-runner";
import { type Logger, silentLogger } from "../logger";
import { type CaseObserver, ignoringObserver } from "./ports";
import { applySubscriptionChanges, describeChangeError } from "./subscription-patches";
import type { QueuedJob } from "./workflow-context";

/** how long subscriptions handed over with a new job are trusted (a stale one costs a 412 and a read) */
const HANDOVER_MS = 60_000;

export const SUSPEND_ALL_JOB = SUSPEND_ALL;

/** what working a job starts from: its pending items, the count so far, and the subscriptions if already read */
interface JobStart {
  job: Job;
  tenantId: string;
  queue: JobItem[];
  progress: JobProgress;
  records: Map<string, Subscription> | null;
}

export class SuspendAllJob implements JobHandler {
  readonly kind = SUSPEND_ALL;
  /** one job at a time per process; its items are worked `itemConcurrency` at once */
  readonly concurrency = 1;
  private readonly handedOver = new Map<string, { at: number; queued: QueuedJob }>();

  constructor(
    private readonly store: Store,
    private readonly partnerCenter: PartnerCenterApi,
    private readonly itemConcurrency: number,
    private observer: CaseObserver = ignoringObserver,
    private readonly logger: Logger = silentLogger,
  ) {}

  setObserver(observer: CaseObserver): void {
    this.observer = observer;
  }

  /**
   * A job was just queued here: the job, its items and the subscriptions read when it was made
   * are kept for a short while, so taking the job up reads nothing back (during a portfolio scan
   * each read waits its turn on the database: ~40 ms before the first PATCH).
   */
  handOver(queued: QueuedJob): void {
    this.handedOver.set(queued.job.id, { at: Date.now(), queued });
    for (const [jobId, entry] of this.handedOver) if (Date.now() - entry.at > HANDOVER_MS) this.handedOver.delete(jobId);
  }

  async work(claimed: ClaimedJob, lease: JobLease): Promise<JobEnd> {
    const started = this.handedOverStart(claimed) ?? (await this.readStart(claimed.id));
    if (!started) return "handled";
    const { job, tenantId, queue, progress } = started;
    const owner = lease.owner;
    this.logger.info({ jobId: job.id, caseId: job.caseId, pending: queue.length }, "working suspend-all job");
    const recorder = new ItemRecorder(this.store.jobs, job.id, this.logger);
    const records = started.records ?? (await this.readSubscriptions(tenantId));
    const worker = async () => {
      for (let item = queue.shift(); item; item = queue.shift()) {
        if (lease.stopping || lease.lost) return;
        const state = await this.workItem(job, tenantId, item, recorder, records.get(item.subscriptionId.toLowerCase()));
        progress.pending -= 1;
        progress[state] += 1;
        this.observer.jobProgress(job.caseId, job.id, { ...progress });
      }
    };
    await Promise.all(Array.from({ length: this.itemConcurrency }, worker));
    try {
      await recorder.flush();
    } catch (error) {
      // not released, not finished: when the lease runs out the job is taken over, and the
      // unrecorded items are called again with their own MS-RequestIds (answered as done)
      this.logger.error({ jobId: job.id, err: describe(error) }, "could not record finished items; leaving the job to be taken over");
      return "handled";
    }
    if (lease.lost) return "handled";
    if (lease.stopping) return "released";
    const state = progress.failed > 0 ? "failed" : "done";
    if (await this.store.jobs.finish(job.id, owner, state)) {
      await this.store.audit.append({
        actor: job.requestedBy,
        action: "subscriptions.suspend_all",
        outcome: state === "done" ? "ok" : "failed",
        caseId: job.caseId,
        tenantId,
        detail: { jobId: job.id, ...progress },
      });
      this.observer.jobProgress(job.caseId, job.id, progress);
      this.observer.caseChanged(job.caseId, "job_finished", undefined, { actor: job.requestedBy, job: { total: progress.total, done: progress.done, failed: progress.failed } });
    }
    return "handled";
  }

  /**
   * The job as this process wrote it a moment ago, on its first claim only: then no process has
   * worked an item yet, so every item is pending as written. A later claim reads it all back.
   */
  private handedOverStart(claimed: ClaimedJob): JobStart | null {
    const handed = this.handedOver.get(claimed.id);
    this.handedOver.delete(claimed.id);
    if (!handed || claimed.attempts !== 1 || Date.now() - handed.at > HANDOVER_MS) return null;
    const { job, tenantId, items, subscriptions } = handed.queued;
    return {
      job,
      tenantId,
      queue: [...items],
      progress: { total: items.length, done: 0, failed: 0, pending: items.length },
      records: new Map(subscriptions.map((s) => [s.id.toLowerCase(), s])),
    };
  }

  private async readStart(jobId: string): Promise<JobStart | null> {
    const job = await this.store.jobs.get(jobId);
    if (!job || !job.leaseOwner) return null;
    const removalCase = await this.store.cases.get(job.caseId);
    const queue = await this.store.jobs.pendingItems(job.id);
    // counted here from then on: while this owner holds the lease no one else records items,
    // and an aggregate query per item costs the shared database more than the item's own write
    const progress = await this.store.jobs.progress(job.id);
    return { job, tenantId: removalCase?.tenantId ?? "", queue, progress, records: null };
  }

  async gaveUp(job: ClaimedJob, error: string): Promise<void> {
    if (!job.caseId) return;
    this.observer.caseChanged(job.caseId, "job_finished");
    this.observer.workGaveUp({ caseId: job.caseId, userId: job.requestedBy, what: "Suspend all", error });
  }

  /**
   * One read of the customer's subscriptions when a job is taken up without the read it was made
   * from (another instance queued it, or it is resumed): each PATCH sends the full resource, and
   * reading them one by one would double the calls Suspend all makes. A 412 on a stale one costs
   * a read of that one (the client's retry).
   */
  private async readSubscriptions(tenantId: string): Promise<Map<string, Subscription>> {
    try {
      return new Map((await this.partnerCenter.listSubscriptions(tenantId)).map((s) => [s.id.toLowerCase(), s]));
    } catch (error) {
      this.logger.warn({ tenantId, err: describe(error) }, "could not list the subscriptions; reading each one");
      return new Map();
    }
  }

  private async workItem(job: Job, tenantId: string, item: JobItem, recorder: ItemRecorder, listed: Subscription | undefined): Promise<"done" | "failed"> {
    try {
      const current = listed ?? (await this.partnerCenter.getSubscription(tenantId, item.subscriptionId));
      // new commerce: auto-renew off before the suspension (see changesFor)
      const changes = changesFor(current, item.action);
      const result = await applySubscriptionChanges(this.partnerCenter, tenantId, current, changes, item.requestId);
      this.finishItem(recorder, job, tenantId, item, "done", null, result.requestId);
      return "done";
    } catch (error) {
      this.finishItem(recorder, job, tenantId, item, "failed", describeChangeError(error), error instanceof PartnerCenterError ? (error.details.requestId ?? null) : null);
      return "failed";
    }
  }

  private finishItem(recorder: ItemRecorder, job: Job, tenantId: string, item: JobItem, state: "done" | "failed", error: string | null, pcRequestId: string | null): void {
    recorder.add({
      subscriptionId: item.subscriptionId,
      state,
      lastError: error,
      audit: {
        actor: job.requestedBy,
        action: `subscription.${item.action}`,
        outcome: state === "done" ? "ok" : "failed",
        caseId: job.caseId,
        tenantId,
        pcRequestId: pcRequestId ?? item.requestId,
        detail: { jobId: job.id, subscriptionId: item.subscriptionId, label: item.label, ...(error ? { error } : {}) },
      },
    });
  }
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
