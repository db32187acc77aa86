// The work a listener does after ack() (Partner Center reads, database writes, rendering) runs
// through a small bounded queue. Under a burst the backlog waits here instead of filling the event
// loop, so new requests from Slack are still read, verified and acknowledged at once. On shutdown
// the queue is drained: Slack has been told we took these requests and will not send them again.

/** Called for work the queue will not do because the app is shutting down: tell the user. */
export type WhenNotWorked = () => Promise<unknown>;

interface Waiting {
  start: () => void;
  abandon: () => void;
}

export class PostAckQueue {
  private running = 0;
  private readonly waiting: Waiting[] = [];
  private stopping = false;
  /** told when the last request in hand has been worked */
  private idleWaiters: Array<() => void> = [];

  constructor(private readonly concurrency: number) {}

  /**
   * Runs `work` when a slot is free. If the app shuts down first, the work is not started and
   * `whenNotWorked` runs instead; either way the promise settles without the queue's own error.
   */
  async run(work: () => Promise<unknown>, whenNotWorked?: WhenNotWorked): Promise<void> {
    const admitted = this.stopping ? false : this.running < this.concurrency ? (this.running++, true) : await this.waitForSlot();
    if (!admitted) {
      if (whenNotWorked) await whenNotWorked();
      return;
    }
    try {
      await work();
    } finally {
      this.release();
    }
  }

  /**
   * Shutdown: takes no new work and waits, at most `timeoutMs`, for the acknowledged requests to
   * be worked. What has not started by then is abandoned (its `whenNotWorked` runs). Returns how
   * many requests were left undone: abandoned, or still running at the deadline.
   */
  async drain(timeoutMs: number): Promise<number> {
    this.stopping = true;
    if (this.backlog > 0) {
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([this.idle(), new Promise<void>((resolve) => (timer = setTimeout(resolve, timeoutMs)))]);
      clearTimeout(timer);
    }
    const undone = this.backlog;
    for (const waiting of this.waiting.splice(0)) waiting.abandon();
    return undone;
  }

  /** Settles once every request acknowledged so far has been worked (tests, shutdown). */
  idle(): Promise<void> {
    if (this.backlog === 0) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  /** requests acknowledged but not yet worked, queued or running (for logs and tests) */
  get backlog(): number {
    return this.running + this.waiting.length;
  }

  private waitForSlot(): Promise<boolean> {
    return new Promise((resolve) => this.waiting.push({ start: () => resolve(true), abandon: () => resolve(false) }));
  }

  private release(): void {
    // the slot passes straight to the next in line, so a newcomer cannot take it in between
    const next = this.waiting.shift();
    if (next) return next.start();
    this.running--;
    if (this.running === 0) for (const resolve of this.idleWaiters.splice(0)) resolve();
  }
}
