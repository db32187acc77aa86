// The work a listener does after ack() (Partner Center reads, database writes, rendering) runs
// through a small bounded queue. Under a burst the backlog waits here instead of filling the event
// loop, so new requests from Slack are still read, verified and acknowledged at once.
import Bottleneck from "bottleneck";

export class PostAckQueue {
  private readonly limiter: Bottleneck;

  constructor(concurrency: number) {
    this.limiter = new Bottleneck({ maxConcurrent: concurrency });
  }

  run<T>(work: () => Promise<T>): Promise<T> {
    return this.limiter.schedule(work);
  }

  /** requests acknowledged but not yet worked (for logs and tests) */
  get backlog(): number {
    const counts = this.limiter.counts();
    return (counts.QUEUED ?? 0) + (counts.RUNNING ?? 0) + (counts.EXECUTING ?? 0);
  }
}
