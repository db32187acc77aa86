// Suspend-all jobs and their items, on the durable job table (job-queue.ts claims, leases and
// ends every kind of job). When a process dies its lease runs out and another process (or the
// restarted one) takes the job over. Each item keeps its MS-RequestId, so a call resumed after a
// crash is the same call to Partner Center, not a second one.
import crypto from "node:crypto";
import type pg from "pg";
import { type AuditEventInput, auditEventsAsJson, insertAuditEventsFromJson } from "./audit-repository";
import type { Prisma } from "./database";
import type { Job as JobRow, JobItem as JobItemRow } from "./generated/client";
import { JobQueue } from "./job-queue";
import { inTransaction } from "./pool-transaction";

export type JobState = "queued" | "running" | "done" | "failed" | "dead";
export const SUSPEND_ALL = "suspend_all";
export type JobItemState = "pending" | "done" | "failed";
export type JobItemAction = "suspend" | "cancel";

export interface JobItem {
  subscriptionId: string;
  label: string;
  action: JobItemAction;
  state: JobItemState;
  attempts: number;
  requestId: string;
  etag: string | null;
  lastError: string | null;
}

export interface Job {
  id: string;
  caseId: string;
  kind: "suspend_all";
  state: JobState;
  requestedBy: string;
  total: number;
  leaseOwner: string | null;
  leaseExpiresAt: Date | null;
  createdAt: Date;
  finishedAt: Date | null;
}

export interface JobProgress {
  total: number;
  done: number;
  failed: number;
  pending: number;
}

const JOB_STATES: readonly JobState[] = ["queued", "running", "done", "failed", "dead"];
/** kinds the gauges always show, zeros included */
const JOB_KINDS = [SUSPEND_ALL, "slack_interaction"] as const;

/** The states an operator watches: work waiting, in hand, failed, and given up on. */
export type WatchedJobState = "queued" | "running" | "failed" | "dead";
const WATCHED_STATES: readonly WatchedJobState[] = ["queued", "running", "failed", "dead"];

function toJob(row: JobRow): Job {
  return {
    id: row.id,
    caseId: row.caseId ?? "",
    kind: "suspend_all",
    state: JOB_STATES.find((s) => s === row.state) ?? "failed",
    requestedBy: row.requestedBy,
    total: row.total,
    leaseOwner: row.leaseOwner,
    leaseExpiresAt: row.leaseExpiresAt,
    createdAt: row.createdAt,
    finishedAt: row.finishedAt,
  };
}

function toItem(row: JobItemRow): JobItem {
  return {
    subscriptionId: row.subscriptionId,
    label: row.label,
    action: row.action === "cancel" ? "cancel" : "suspend",
    state: row.state === "done" || row.state === "failed" ? row.state : "pending",
    attempts: row.attempts,
    requestId: row.requestId,
    etag: row.etag,
    lastError: row.lastError,
  };
}

/** How one item ended, with the audit event that says so. */
export interface ItemOutcome {
  subscriptionId: string;
  state: "done" | "failed";
  lastError: string | null;
  audit: AuditEventInput;
}

export class JobRepository {
  private readonly queue: JobQueue;

  constructor(
    private readonly prisma: Prisma,
    private readonly pool: pg.Pool,
  ) {
    this.queue = new JobQueue(pool);
  }

  /** Writes a job and its items (and the event saying it was queued, if given) in one statement. */
  async create(input: NewJob): Promise<Job> {
    const made = newJob(input, new Date());
    await this.pool.query(INSERT_JOB, insertParams(input, made, false));
    return made.job;
  }

  /**
   * Creates the case's job unless one is still unfinished, which is returned instead. The case row
   * is locked first, so two presses at the same moment (or on two instances) make one job; the
   * look for an unfinished job is the next statement, which sees a job the other press committed
   * while this one waited for the lock. Raw SQL in two statements: through Prisma the same
   * transaction took six round trips, each waiting its turn on the embedded database's one
   * connection while a portfolio scan writes.
   */
  async createUnlessUnfinished(input: NewJob): Promise<{ job: Job; created: boolean; items: JobItem[] }> {
    const made = newJob(input, new Date());
    const created = await inTransaction(this.pool, async (client) => {
      await client.query(`SELECT 1 FROM "RemovalCase" WHERE "id" = $1 FOR UPDATE`, [input.caseId]);
      const { rows } = await client.query<{ made: number }>(INSERT_JOB, insertParams(input, made, true));
      return (rows[0]?.made ?? 0) > 0;
    });
    if (created) return { job: made.job, created: true, items: made.items };
    // the job under way (or, had it ended since, the one that just ended)
    const existing = await this.latestForCase(input.caseId);
    if (!existing) throw new Error(`no job was made for case ${input.caseId}, and none was found under way`);
    return { job: existing, created: false, items: [] };
  }

  async get(id: string): Promise<Job | null> {
    const row = await this.prisma.job.findUnique({ where: { id } });
    return row ? toJob(row) : null;
  }

  /** The case's unfinished job, if any: a second Suspend all joins it instead of starting another. */
  async findUnfinishedForCase(caseId: string): Promise<Job | null> {
    const row = await this.prisma.job.findFirst({ where: { caseId, kind: SUSPEND_ALL, state: { in: ["queued", "running"] } }, orderBy: { createdAt: "desc" } });
    return row ? toJob(row) : null;
  }

  async latestForCase(caseId: string): Promise<Job | null> {
    const row = await this.prisma.job.findFirst({ where: { caseId, kind: SUSPEND_ALL }, orderBy: { createdAt: "desc" } });
    return row ? toJob(row) : null;
  }

  /** Claims one Suspend-all job nobody holds (never leased, or its lease ran out); the claim counts as an attempt. */
  async claimNext(owner: string, leaseMs: number, now = new Date()): Promise<Job | null> {
    const claimed = await this.queue.claim([SUSPEND_ALL], owner, leaseMs, now);
    return claimed ? this.get(claimed.id) : null;
  }

  /** Extends the lease; false means another process has taken the job and this one must stop. */
  renewLease(jobId: string, owner: string, leaseMs: number, now = new Date()): Promise<boolean> {
    return this.queue.renewLease(jobId, owner, leaseMs, now);
  }

  async pendingItems(jobId: string): Promise<JobItem[]> {
    const rows = await this.prisma.jobItem.findMany({ where: { jobId, state: "pending" }, orderBy: { subscriptionId: "asc" } });
    return rows.map(toItem);
  }

  async items(jobId: string): Promise<JobItem[]> {
    const rows = await this.prisma.jobItem.findMany({ where: { jobId }, orderBy: { subscriptionId: "asc" } });
    return rows.map(toItem);
  }

  async failedItems(jobId: string, limit = 50): Promise<JobItem[]> {
    const rows = await this.prisma.jobItem.findMany({ where: { jobId, state: "failed" }, orderBy: { subscriptionId: "asc" }, take: limit });
    return rows.map(toItem);
  }

  /**
   * Records finished items and their audit events in one statement, so both land or neither does.
   * The runner records in batches: at 100 items a second, two writes per item through Prisma were
   * the slowest part of each worker's turn and held Partner Center below its allowed rate.
   */
  async recordItems(jobId: string, outcomes: readonly ItemOutcome[], now = new Date()): Promise<void> {
    if (outcomes.length === 0) return;
    const items = outcomes.map((o) => ({ s: o.subscriptionId, st: o.state, e: o.lastError }));
    // the time goes in as UTC ISO text, as Prisma stores DateTime, whatever the server's time zone
    await this.pool.query(
      `WITH updated AS (
         UPDATE "JobItem" j SET "state" = i.st, "lastError" = i.e, "attempts" = j."attempts" + 1, "updatedAt" = $4::timestamp(3)
         FROM jsonb_to_recordset($2::jsonb) AS i(s text, st text, e text)
         WHERE j."jobId" = $1 AND j."subscriptionId" = i.s
         RETURNING 1
       )
       ${insertAuditEventsFromJson("$3")}`,
      [jobId, JSON.stringify(items), auditEventsAsJson(outcomes.map((o) => o.audit), now), now.toISOString()],
    );
  }

  async progress(jobId: string): Promise<JobProgress> {
    const groups = await this.prisma.jobItem.groupBy({ by: ["state"], where: { jobId }, _count: { _all: true } });
    const count = (state: JobItemState) => groups.find((g) => g.state === state)?._count._all ?? 0;
    const done = count("done");
    const failed = count("failed");
    const pending = count("pending");
    return { total: done + failed + pending, done, failed, pending };
  }

  /** Jobs by kind and watched state, zeros included, so a gauge shows a state that empties. */
  async countByState(): Promise<Array<{ kind: string; state: WatchedJobState; count: number }>> {
    const { rows } = await this.pool.query<{ kind: string; state: string; count: number }>(
      `SELECT "kind", "state", count(*)::int AS "count" FROM "Job" WHERE "state" = ANY($1::text[]) GROUP BY "kind", "state"`,
      [WATCHED_STATES],
    );
    const kinds = new Set<string>([...JOB_KINDS, ...rows.map((row) => row.kind)]);
    return [...kinds].flatMap((kind) =>
      WATCHED_STATES.map((state) => ({ kind, state, count: rows.find((row) => row.kind === kind && row.state === state)?.count ?? 0 })),
    );
  }

  /** Ends the job if this owner still holds it. */
  finish(jobId: string, owner: string, state: "done" | "failed", now = new Date()): Promise<boolean> {
    return this.queue.finish(jobId, owner, state, now);
  }

  /** Gives the job back (graceful shutdown): another process may claim it at once. */
  release(jobId: string, owner: string): Promise<void> {
    return this.queue.release(jobId, owner);
  }

  /** Puts failed items back in the queue with fresh request ids; a failed item is a new attempt. */
  /**
   * Puts failed items back in the queue with fresh request ids (a failed item is a new attempt);
   * a dead job (out of attempts) is resumed with its pending items and a fresh count of attempts.
   * Returns how many items will be worked.
   */
  async retryFailed(jobId: string): Promise<number> {
    return this.prisma.$transaction(async (tx) => {
      const job = await tx.job.findUnique({ where: { id: jobId }, select: { state: true } });
      const failed = await tx.jobItem.findMany({ where: { jobId, state: "failed" }, select: { subscriptionId: true } });
      for (const item of failed) {
        await tx.jobItem.update({
          where: { jobId_subscriptionId: { jobId, subscriptionId: item.subscriptionId } },
          data: { state: "pending", requestId: crypto.randomUUID(), lastError: null },
        });
      }
      const pending = job?.state === "dead" ? await tx.jobItem.count({ where: { jobId, state: "pending" } }) : failed.length;
      if (pending > 0) {
        await tx.job.update({
          where: { id: jobId },
          data: { state: "queued", finishedAt: null, leaseOwner: null, leaseExpiresAt: null, attempts: 0, runAfter: new Date(), lastError: null },
        });
      }
      return pending;
    });
  }
}

export interface NewJob {
  /** given by the caller when its audit event names the job; a new id otherwise */
  id?: string;
  caseId: string;
  requestedBy: string;
  items: Array<{ subscriptionId: string; label: string; action: JobItemAction; etag?: string | null | undefined }>;
  /** written in the job's transaction, so the job and the event that it was queued land together */
  audit?: AuditEventInput;
}

/** The job and its items as they are written: all pending, each item with its MS-RequestId. */
function newJob(input: NewJob, now: Date): { job: Job; items: JobItem[] } {
  const job: Job = { id: input.id ?? crypto.randomUUID(), caseId: input.caseId, kind: SUSPEND_ALL, state: "queued", requestedBy: input.requestedBy, total: input.items.length, leaseOwner: null, leaseExpiresAt: null, createdAt: now, finishedAt: null };
  const items = input.items.map((item): JobItem => ({ subscriptionId: item.subscriptionId, label: item.label, action: item.action, state: "pending", attempts: 0, requestId: crypto.randomUUID(), etag: item.etag ?? null, lastError: null }));
  return { job, items };
}

// The job, its items (one statement for all: for 500 rows Prisma's createMany took ~245 ms
// against ~55 ms this way, and the operator is waiting for the job to start) and the audit event,
// in one statement so all land or none; unless $8 and an unfinished job of the case exists.
// Times go in as UTC ISO text, as Prisma stores DateTime, whatever the server's time zone.
const INSERT_JOB = `WITH made AS (
    INSERT INTO "Job" ("id", "caseId", "kind", "state", "requestedBy", "total", "runAfter", "createdAt", "updatedAt")
    SELECT $1, $2, '${SUSPEND_ALL}', 'queued', $3, $4, $5::timestamp(3), $5::timestamp(3), $5::timestamp(3)
    WHERE NOT ($8::boolean AND EXISTS (SELECT 1 FROM "Job" WHERE "caseId" = $2 AND "kind" = '${SUSPEND_ALL}' AND "state" IN ('queued', 'running')))
    RETURNING "id"
  ), items AS (
    INSERT INTO "JobItem" ("jobId", "subscriptionId", "label", "action", "state", "requestId", "etag", "updatedAt")
    SELECT made."id", t.s, t.l, t.a, 'pending', t.r, t.e, $5::timestamp(3) FROM made, jsonb_to_recordset($6::jsonb) AS t(s text, l text, a text, r text, e text)
    RETURNING 1
  ), audit AS (
    ${insertAuditEventsFromJson("$7")} WHERE EXISTS (SELECT 1 FROM made)
    RETURNING 1
  )
  SELECT count(*)::int AS "made" FROM made`;

function insertParams(input: NewJob, made: { job: Job; items: JobItem[] }, unlessUnfinished: boolean): unknown[] {
  const { job, items } = made;
  return [
    job.id,
    job.caseId,
    job.requestedBy,
    job.total,
    job.createdAt.toISOString(),
    JSON.stringify(items.map((item) => ({ s: item.subscriptionId, l: item.label, a: item.action, r: item.requestId, e: item.etag }))),
    auditEventsAsJson(input.audit ? [input.audit] : [], job.createdAt),
    unlessUnfinished,
  ];
}
