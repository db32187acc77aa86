// Records finished work in batches off the workers' path: a worker hands over what it finished
// and goes on, and a batch is written when it is full or after a short delay, one write after
// another in order. A batch that could not be written is kept for the next write and reported
// by flush(), so a job never finishes with work unrecorded.

export interface BatchRecorderOptions<T> {
  /** writes one batch; a rejection keeps the batch for the next write */
  write(batch: T[]): Promise<void>;
  /** told of a failed write (to log it); the batch is kept either way */
  failed(error: unknown, batch: readonly T[]): void;
  maxBatch: number;
  maxDelayMs: number;
}

export class BatchRecorder<T> {
  private pending: T[] = [];
  private timer: NodeJS.Timeout | null = null;
  /** the writes under way, in order */
  private writing: Promise<void> = Promise.resolve();
  private failure: unknown = null;

  constructor(private readonly options: BatchRecorderOptions<T>) {}

  add(finished: T): void {
    this.pending.push(finished);
    if (this.pending.length >= this.options.maxBatch) void this.write().catch(() => undefined);
    else this.timer ??= setTimeout(() => void this.write().catch(() => undefined), this.options.maxDelayMs);
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
        await this.options.write(batch);
        // anything that failed before was put back into this batch
        this.failure = null;
      } catch (error) {
        this.pending.unshift(...batch);
        this.failure = error;
        this.options.failed(error, batch);
      }
    });
    return this.writing;
  }
}
