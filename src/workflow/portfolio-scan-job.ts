// Works a portfolio scan (a job of kind portfolio_scan): reads the customer list into the scan's
// table once, then reads and classifies every customer still pending, a few at a time, with
// the same live read and the same preconditions as a case. Its Partner Center calls are
// background calls: the pacer starts every interactive call first (call-priority.ts). Each
// customer is written done as soon as it is classified (in small batches), so a scan taken over
// after a crash reads only the customers still pending.
import { type CleanupVerdict, type ScanGdap, classifyForCleanup, evaluatePreconditions, scanReadsGdap, summarizeScanGdap, unreadableVerdict } from "../domain";
import type { GdapApi } from "../graph/gdap-api";
import { type Logger, silentLogger } from "../logger";
import { inBackground } from "../partner-center/call-priority";
import type { PartnerCenterApi } from "../partner-center/partner-center-api";
import { type ClaimedJob, PORTFOLIO_SCAN, type PendingScanCustomer, type ScanCounts, type ScanCustomerResult, type Store } from "../store";
import { BatchRecorder } from "./batch-recorder";
import { loadSnapshot } from "./customer-snapshot";
import type { JobEnd, JobHandler, JobLease } from "./job-runner";
import type { Clock } from "./ports";
import { isRelationshipGone } from "./relationship-gone";
import { describeError } from "./workflow-context";

/** Told as a scan goes; the Slack front end draws the progress bar and posts the result. */
export interface ScanObserver {
  scanProgress(jobId: string, counts: ScanCounts): void;
  /** every customer is read: post the result (once; a retried job calls it again). May throw: the attempt is tried again. */
  scanFinished(jobId: string): Promise<void>;
}

const ignoring: ScanObserver = { scanProgress: () => undefined, scanFinished: async () => undefined };
const LIST_PAGE = 1000;
const FETCH_AHEAD = 200;
const RECORD_BATCH = 25;
const RECORD_DELAY_MS = 200;

export class PortfolioScanJob implements JobHandler {
  readonly kind = PORTFOLIO_SCAN;
  readonly concurrency = 1;
  private observer: ScanObserver = ignoring;

  constructor(
    private readonly store: Store,
    private readonly partnerCenter: PartnerCenterApi,
    /** customers read at once; each read is 2-4 calls, mostly in parallel */
    private readonly customersAtOnce: number,
    private readonly clock: Clock = () => new Date(),
    private readonly logger: Logger = silentLogger,
    /** Microsoft Graph, for the candidates' GDAP relationships; null when GDAP is off */
    private readonly gdap: GdapApi | null = null,
  ) {}

  setObserver(observer: ScanObserver): void {
    this.observer = observer;
  }

  async work(job: ClaimedJob, lease: JobLease): Promise<JobEnd> {
    const scan = await this.store.scans.get(job.id);
    if (!scan) throw new Error("the scan's record is missing");
    if (!scan.active) return "done";
    this.observer.scanProgress(job.id, await this.store.scans.counts(job.id));
    if (!scan.listedAt) await inBackground(() => this.listCustomers(job.id));
    const stopped = await inBackground(() => this.readPending(job.id, lease));
    if (stopped) return stopped;
    await this.observer.scanFinished(job.id);
    if (await this.store.scans.finish(job.id, this.clock())) {
      const counts = await this.store.scans.counts(job.id);
      await this.store.audit.append({ actor: job.requestedBy, action: "scan.finished", outcome: "ok", detail: { jobId: job.id, ...counts.byClass, total: counts.total } });
    }
    return "done";
  }

  async gaveUp(job: ClaimedJob, error: string): Promise<void> {
    // the scan stops for good: a new /offboard scan may start
    await this.store.scans.finish(job.id, this.clock()).catch(() => undefined);
    this.logger.error({ jobId: job.id, err: error }, "the portfolio scan gave up");
  }

  /** The whole customer list into the scan's table (a resumed listing adds nothing twice). */
  private async listCustomers(jobId: string): Promise<void> {
    let position = 0;
    let page = await this.partnerCenter.listCustomers({ pageSize: LIST_PAGE });
    for (;;) {
      await this.store.scans.addCustomers(jobId, position, page.customers);
      position += page.customers.length;
      if (!page.continuation) break;
      page = await this.partnerCenter.listCustomers({ pageSize: LIST_PAGE, continuation: page.continuation });
    }
    const total = await this.store.scans.markListed(jobId, this.clock());
    this.logger.info({ jobId, total }, "portfolio scan: customer list read");
  }

  /** Reads every pending customer; returns how the job ends if it had to stop early. */
  private async readPending(jobId: string, lease: JobLease): Promise<JobEnd | null> {
    let after = -1;
    let queue: PendingScanCustomer[] = [];
    let exhausted = false;
    let refilling: Promise<void> | null = null;
    const refill = () =>
      (refilling ??= this.store.scans.pending(jobId, after, FETCH_AHEAD).then((rows) => {
        queue.push(...rows);
        const last = rows.at(-1);
        if (last) after = last.position;
        if (rows.length < FETCH_AHEAD) exhausted = true;
        refilling = null;
      }));
    const recorder = new ScanRecorder(this.store, jobId, await this.store.scans.counts(jobId), (counts) => this.observer.scanProgress(jobId, counts), this.logger);
    const next = async (): Promise<PendingScanCustomer | null> => {
      for (;;) {
        const customer = queue.shift();
        // keep the next rows read before the workers run dry
        if (!exhausted && queue.length < this.customersAtOnce) void refill().catch(() => undefined);
        if (customer) return customer;
        if (exhausted && !refilling) return null;
        await refill();
      }
    };
    const worker = async () => {
      while (!lease.lost && !lease.stopping) {
        const customer = await next();
        if (!customer) return;
        const verdict = await this.classify(customer);
        recorder.add({ tenantId: customer.tenantId, ...verdict, gdap: await this.readGdap(customer.tenantId, verdict) });
      }
    };
    await Promise.all(Array.from({ length: this.customersAtOnce }, worker));
    queue = [];
    await recorder.flush();
    if (lease.lost) return "handled";
    if (lease.stopping) return "released";
    return null;
  }

  /** The candidate's GDAP relationships (ready and suspend-only only): the admin access a removal would leave. */
  private async readGdap(tenantId: string, verdict: CleanupVerdict): Promise<ScanGdap> {
    if (!this.gdap || !scanReadsGdap(verdict.cleanupClass)) return { read: "not_checked" };
    try {
      return summarizeScanGdap(await this.gdap.listRelationships(tenantId));
    } catch (error) {
      // Graph's own words; the customer's class stands, GDAP never blocks a removal
      return { read: "failed", error: describeError(error) };
    }
  }

  private async classify(customer: PendingScanCustomer): Promise<CleanupVerdict> {
    const now = this.clock();
    try {
      const snapshot = await loadSnapshot(this.partnerCenter, customer.tenantId, now, customer);
      return classifyForCleanup(snapshot, evaluatePreconditions(snapshot, now), now);
    } catch (error) {
      if (isRelationshipGone(error)) {
        const gone = { ...customer, relationshipToPartner: "none" as const };
        const snapshot = { customer: gone, subscriptions: [], azureSubscriptions: [], reservations: [], softwarePurchases: [], unrecognised: [], takenAt: now };
        return classifyForCleanup(snapshot, evaluatePreconditions(snapshot, now), now);
      }
      return unreadableVerdict(describeError(error));
    }
  }
}

/** Writes classified customers in small batches off the readers' path, and reports progress after each. */
class ScanRecorder extends BatchRecorder<ScanCustomerResult> {
  constructor(store: Store, jobId: string, initial: ScanCounts, progress: (counts: ScanCounts) => void, logger: Logger) {
    // kept here as batches are written, so progress costs no count query per batch
    const counts: ScanCounts = { ...initial, byClass: { ...initial.byClass } };
    super({
      write: async (batch) => {
        await store.scans.record(jobId, batch);
        for (const result of batch) counts.byClass[result.cleanupClass] += 1;
        counts.done += batch.length;
        progress({ ...counts, byClass: { ...counts.byClass } });
      },
      // kept for the next write; flush() reports it, so the scan never finishes with customers unwritten
      failed: (error, batch) => logger.warn({ jobId, customers: batch.length, err: describeError(error) }, "could not record scanned customers; will try again"),
      maxBatch: RECORD_BATCH,
      maxDelayMs: RECORD_DELAY_MS,
    });
  }
}
