// Records a Suspend-all job's finished items in batches, off the workers' path: a worker hands
// over its item's outcome and goes on to the next call instead of waiting for two database
// writes. Safe because each item keeps its MS-RequestId: if the process dies before a batch is
// written, the next owner repeats those calls and Partner Center answers them as already done.
import type { ItemOutcome, JobRepository } from "../store";
import type { Logger } from "../logger";
import { BatchRecorder } from "./batch-recorder";

export class ItemRecorder extends BatchRecorder<ItemOutcome> {
  constructor(jobs: Pick<JobRepository, "recordItems">, jobId: string, logger: Logger, maxBatch = 50, maxDelayMs = 100) {
    super({
      write: (batch) => jobs.recordItems(jobId, batch),
      failed: (error, batch) =>
        logger.warn({ jobId, items: batch.length, err: error instanceof Error ? error.message : String(error) }, "could not record finished items; will try again"),
      maxBatch,
      maxDelayMs,
    });
  }
}
