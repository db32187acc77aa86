// Works durable jobs of every kind, one mechanism for all: a lane per kind claims jobs through a
// lease (store/job-queue.ts) up to the kind's concurrency, renews the lease while its handler
// works, and ends each attempt. A handler that throws has failed the attempt: the job comes back
// after a backoff, and once out of attempts it is dead, audited, counted, and its requester told.
// A process that dies leaves its leases to run out; another process (or the restarted one) takes
// the jobs over.
import type { ClaimedJob, Store } from "../store";
import { type Logger, silentLogger } from "../logger";
import { metrics } from "../metrics";
import { newTrace, traceFields, withTrace } from "./job-trace";

/** What a handler sees of its lease while it works. */
export interface JobLease {
  /** who holds the lease: this runner (finish and release name it) */
  readonly owner: string;
  /** another process has taken the job over: stop, and record nothing more */
  readonly lost: boolean;
  /** the process is shutting down: stop at the next safe point and give the job back */
  readonly stopping: boolean;
}

/**
 * How a worked job ended: done or failed (the runner records it), released (given back at
 * shutdown, claimable at once), or handled (the handler ended it itself, or leaves it to the
 * process that takes it over).
 */
export type JobEnd = "done" | "failed" | "released" | "handled";

export interface JobHandler {
  readonly kind: string;
  /** jobs of this kind one process works at once */
  readonly concurrency: number;
  /** fewer at this moment (e.g. 1 while Slack requests pour in, so their acks keep the main thread); `concurrency` if absent */
  concurrencyNow?(): number;
  work(job: ClaimedJob, lease: JobLease): Promise<JobEnd>;
  /** the job will not be tried again: tell the person who asked for it. Must not throw. */
  gaveUp(job: ClaimedJob, error: string): Promise<void>;
}

export interface JobRunnerOptions {
  leaseMs: number;
  /** how often an idle lane looks for due jobs (retries, other instances' jobs, expired leases) */
  pollMs: number;
  owner: string;
}

interface Lane {
  handler: JobHandler;
  running: boolean;
  loop: Promise<void> | null;
  inFlight: Set<Promise<void>>;
  wake: (() => void) | null;
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

export class JobRunner {
  private readonly lanes = new Map<string, Lane>();
  private stopping = false;

  constructor(
    private readonly store: Store,
    private readonly options: JobRunnerOptions,
    private readonly logger: Logger = silentLogger,
  ) {}

  get owner(): string {
    return this.options.owner;
  }

  register(handler: JobHandler): void {
    if (this.lanes.has(handler.kind)) throw new Error(`jobs of kind ${handler.kind} have two handlers`);
    this.lanes.set(handler.kind, { handler, running: false, loop: null, inFlight: new Set(), wake: null });
  }

  /** Starts claiming jobs of these kinds (all registered kinds by default). */
  start(kinds: readonly string[] = [...this.lanes.keys()]): void {
    this.stopping = false;
    for (const kind of kinds) {
      const lane = this.lane(kind);
      if (lane.running) continue;
      lane.running = true;
      lane.loop = this.run(lane);
    }
  }

  /** A job was queued: look now instead of at the next poll. */
  kick(kind?: string): void {
    for (const lane of kind ? [this.lane(kind)] : this.lanes.values()) lane.wake?.();
  }

  /**
   * Stops claiming; waits at most `graceMs` for the jobs in hand (handlers see `stopping` and give
   * long jobs back). Jobs still running then keep their lease, which runs out for the next process.
   * Returns how many were still running.
   */
  async stop(graceMs = 20_000): Promise<number> {
    this.stopping = true;
    const lanes = [...this.lanes.values()];
    for (const lane of lanes) {
      lane.running = false;
      lane.wake?.();
    }
    await Promise.all(lanes.map((lane) => lane.loop));
    const inFlight = lanes.flatMap((lane) => [...lane.inFlight]);
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([Promise.all(inFlight), new Promise<void>((resolve) => (timer = setTimeout(resolve, graceMs)))]);
    clearTimeout(timer);
    for (const lane of lanes) lane.loop = null;
    return lanes.reduce((n, lane) => n + lane.inFlight.size, 0);
  }

  /** Claims and works this kind's due jobs until none is left, one at a time (tests, one-shot use). */
  async drain(kind: string): Promise<void> {
    const lane = this.lane(kind);
    for (;;) {
      const job = await this.store.queue.claim([kind], this.owner, this.options.leaseMs);
      if (!job) return;
      await this.workOne(lane, job);
    }
  }

  /** Resolves once no job of these kinds is queued or running anywhere (tests wait on it). */
  async settle(kinds: readonly string[], pollMs = 20): Promise<void> {
    for (;;) {
      const inHand = kinds.reduce((n, kind) => n + (this.lanes.get(kind)?.inFlight.size ?? 0), 0);
      if (inHand === 0 && (await this.store.queue.unfinished(kinds)) === 0) return;
      await new Promise((resolve) => setTimeout(resolve, pollMs));
    }
  }

  /** jobs in hand in this process, by kind (logs, shutdown) */
  busy(kind: string): number {
    return this.lanes.get(kind)?.inFlight.size ?? 0;
  }

  private lane(kind: string): Lane {
    const lane = this.lanes.get(kind);
    if (!lane) throw new Error(`no handler for jobs of kind ${kind}`);
    return lane;
  }

  private async run(lane: Lane): Promise<void> {
    const { handler } = lane;
    while (lane.running) {
      while (lane.running && lane.inFlight.size < Math.min(handler.concurrency, handler.concurrencyNow?.() ?? handler.concurrency)) {
        let job: ClaimedJob | null;
        try {
          job = await this.store.queue.claim([handler.kind], this.owner, this.options.leaseMs);
        } catch (error) {
          this.logger.error({ kind: handler.kind, err: describe(error) }, "could not claim a job");
          break;
        }
        if (!job) break;
        const working: Promise<void> = this.workOne(lane, job).finally(() => {
          lane.inFlight.delete(working);
          lane.wake?.();
        });
        lane.inFlight.add(working);
      }
      if (!lane.running) break;
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, this.options.pollMs);
        lane.wake = () => {
          clearTimeout(timer);
          resolve();
        };
      });
      lane.wake = null;
    }
  }

  private async workOne(lane: Lane, job: ClaimedJob): Promise<void> {
    const { handler } = lane;
    const fields = { jobId: job.id, kind: job.kind, key: job.key, caseId: job.caseId, attempt: job.attempts };
    if (job.attempts > job.maxAttempts) {
      // every earlier claim ended with its process gone: trying again would go the same way
      const error = job.lastError ?? `the app stopped while working on it ${job.maxAttempts} times`;
      if (await this.store.queue.bury(job.id, this.owner, error)) await this.gaveUp(handler, job, error, fields);
      return;
    }
    let lost = false;
    const isStopping = () => this.stopping;
    const lease: JobLease = {
      owner: this.owner,
      get lost() {
        return lost;
      },
      get stopping() {
        return isStopping();
      },
    };
    const renew = setInterval(() => {
      this.store.queue
        .renewLease(job.id, this.owner, this.options.leaseMs)
        .then((held) => {
          if (!held) lost = true;
        })
        .catch(() => undefined);
    }, Math.max(50, Math.floor(this.options.leaseMs / 3)));
    const started = Date.now();
    // the Slack request, the case and the Partner Center calls of this attempt, for its log lines
    const trace = newTrace(job.key);
    const traceOf = () => traceFields(trace, job.key, job.caseId);
    try {
      this.logger.info({ ...fields, slackRequestId: traceOf().slackRequestId }, "working a job");
      const end = await withTrace(trace, () => handler.work(job, lease));
      if (end === "done" || end === "failed") await this.store.queue.finish(job.id, this.owner, end);
      else if (end === "released") await this.store.queue.release(job.id, this.owner);
      if (end === "done" || end === "failed") metrics.jobFinished(job.kind, end);
      this.logger.info({ ...fields, ...traceOf(), end, durationMs: Date.now() - started }, "job worked");
    } catch (error) {
      const message = describe(error);
      if (lost) return void this.logger.warn({ ...fields, ...traceOf(), err: message }, "a job taken over by another process failed here");
      const outcome = await this.store.queue.failAttempt(job.id, this.owner, message).catch((failure: unknown) => {
        // the lease runs out and the job is tried again: nothing is lost
        this.logger.error({ ...fields, err: describe(failure) }, "could not record a failed attempt");
        return "lost" as const;
      });
      this.logger.warn({ ...fields, ...traceOf(), err: message, outcome, durationMs: Date.now() - started }, "a job attempt failed");
      if (outcome === "retry") metrics.jobFinished(job.kind, "retried");
      if (outcome === "dead") await this.gaveUp(handler, job, message, { ...fields, ...traceOf() });
    } finally {
      clearInterval(renew);
    }
  }

  private async gaveUp(handler: JobHandler, job: ClaimedJob, error: string, fields: Record<string, unknown>): Promise<void> {
    metrics.jobFinished(job.kind, "dead");
    this.logger.error({ ...fields, err: error }, "a job is dead: out of attempts");
    await this.store.audit
      .append({ actor: job.requestedBy, action: `job.${job.kind}.dead`, outcome: "failed", caseId: job.caseId, detail: { jobId: job.id, key: job.key, attempts: job.attempts, error } })
      .catch((failure: unknown) => this.logger.error({ ...fields, err: describe(failure) }, "could not audit a dead job"));
    await handler.gaveUp(job, error).catch((failure: unknown) => this.logger.error({ ...fields, err: describe(failure) }, "could not tell the requester of a dead job"));
  }
}
