// Records a Suspend-all job's finished items in batches, off the workers' path: a worker hands
// over its item's outcome and goes on to the next call instead of waiting for two database
// writes. Safe because each item keeps its MS-RequestId: if the process dies before a batch is
// written, the next owner repeats those calls and Partner Center answers them as already done.
import type { ItemOutcome, JobRepository } from "../store";
import type { Logger } from "../logger";

export class ItemRecorder {
  private pending: ItemOutcome[] = [];
  private timer: NodeJS.Timeout | null = null;
  /** the writes under way, in order */
  private writing: Promise<void> = Promise.resolve();
  private failure: unknown = null;

  constructor(
    private readonly jobs: Pick<JobRepository, "recordItems">,
    private readonly jobId: string,
    private readonly logger: Logger,
    private readonly maxBatch = 50,
    private readonly maxDelayMs = 100,
  ) {}

  add(outcome: ItemOutcome): void {
    this.pending.push(outcome);
    if (this.pending.length >= this.maxBatch) void this.write().catch(() => undefined);
    else this.timer ??= setTimeout(() => void this.write().catch(() => undefined), this.maxDelayMs);
  }

  /** Writes everything handed over so far; rejects if any of it could not be written. */
  async flush(): Promise<void> {
    await this.write();
    if (this.failure) {
      const failure = this.failure;
      this.failure = null;
      throw failure instanceof Error ? failure : new Error(String(failure));
    }
  }

  private write(): Promise<void> {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    const batch = this.pending;
    this.pending = [];
    this.writing = this.writing.then(async () => {
      if (batch.length === 0) return;
      try {
        await this.jobs.recordItems(this.jobId, batch);
        // anything that failed before was put back into this batch
        this.failure = null;
      } catch (error) {
        // kept for the next write, and reported by flush(): the job must not finish unrecorded
        this.pending.unshift(...batch);
        this.failure = error;
        this.logger.warn({ jobId: this.jobId, items: batch.length, err: error instanceof Error ? error.message : String(error) }, "could not record finished items; will try again");
      }
    });
    return this.writing;
  }
}
