// The durable job table's life cycle, for every kind of job: an insert keyed by the request's
// idempotency key, a claim through a lease (FOR UPDATE SKIP LOCKED, so instances never wait on
// each other), lease renewal while the owner works, and the end of an attempt: done, retried
// after a backoff, or dead once out of attempts. Each claim counts as an attempt, so a job whose
// process keeps dying under it ends dead rather than looping. See docs/job-queue.md.
import type pg from "pg";
import { PriorityPool } from "./priority-pool";

export type QueuedJobState = "queued" | "running" | "done" | "failed" | "dead";

/** A job as its claimer gets it. */
export interface ClaimedJob {
  id: string;
  kind: string;
  key: string | null;
  /** the request it works on, as enqueued; the kind's handler checks it */
  payload: unknown;
  caseId: string | null;
  requestedBy: string;
  /** claims so far, this one included */
  attempts: number;
  maxAttempts: number;
  lastError: string | null;
  createdAt: Date;
}

export interface NewQueuedJob {
  kind: string;
  /** the request's idempotency key: a second delivery of the same request makes no second job */
  key: string;
  payload: unknown;
  requestedBy: string;
  maxAttempts: number;
}

/** What happened to a failed attempt. */
export type AttemptEnd = "retry" | "dead" | "lost";

// retries wait 1 s, 2 s, 4 s … (at most a minute), half of it random so retries of many jobs spread out
const BACKOFF_BASE_MS = 1_000;
const BACKOFF_MAX_MS = 60_000;
/** 6 parameters a row, far below PostgreSQL's 65,535 */
const MAX_INSERTS_PER_STATEMENT = 200;

export function backoffMs(attempts: number, random: () => number = Math.random): number {
  const full = Math.min(BACKOFF_MAX_MS, BACKOFF_BASE_MS * 2 ** Math.max(0, attempts - 1));
  return Math.round(full / 2 + (full / 2) * random());
}

// Prisma stores DateTime as timestamp(3) in UTC; times go in as UTC ISO text, whatever the server's zone
const at = (date: Date) => date.toISOString();

export class JobQueue {
  constructor(private readonly pool: pg.Pool) {}

  private pending: Array<{ job: NewQueuedJob; now: Date; done: (result: { id: string | null; created: boolean }) => void; fail: (error: unknown) => void }> = [];
  private flushing = false;

  /**
   * The ack path's one insert: the job, unless a job with its key exists already (a Slack retry,
   * a second delivery), in which case nothing is inserted and `created` is false. Inserts that
   * arrive while one is on its way go together in the next statement, ahead of other queued work
   * on the connection (priority-pool.ts): at 200 requests a second each ack then waits for one
   * round trip or two, not for a queue of single inserts.
   */
  enqueue(job: NewQueuedJob, now = new Date()): Promise<{ id: string | null; created: boolean }> {
    return new Promise((done, fail) => {
      this.pending.push({ job, now, done, fail });
      if (!this.flushing) {
        this.flushing = true;
        // the requests that arrived in this turn of the event loop join the first statement
        setImmediate(() => void this.flush());
      }
    });
  }

  private async flush(): Promise<void> {
    while (this.pending.length > 0) {
      const batch = this.pending.splice(0, MAX_INSERTS_PER_STATEMENT);
      try {
        const created = await this.insertAll(batch.map((b) => ({ job: b.job, now: b.now })));
        const taken = new Set<string>();
        for (const { job, done } of batch) {
          // the same key twice in one statement: the first is the one inserted
          const id = taken.has(job.key) ? undefined : created.get(job.key);
          taken.add(job.key);
          done({ id: id ?? null, created: id !== undefined });
        }
      } catch (error) {
        for (const { fail } of batch) fail(error);
      }
    }
    this.flushing = false;
  }

  private async insertAll(rows: Array<{ job: NewQueuedJob; now: Date }>): Promise<Map<string, string>> {
    const values: unknown[] = [];
    const tuples = rows.map(({ job, now }) => {
      const n = values.push(job.kind, job.key, JSON.stringify(job.payload), job.requestedBy, job.maxAttempts, at(now));
      const p = (i: number) => `$${n - 6 + i}`;
      return `(gen_random_uuid()::text, ${p(1)}, 'queued', ${p(2)}, ${p(3)}::jsonb, ${p(4)}, ${p(5)}::int, ${p(6)}::timestamp(3), ${p(6)}::timestamp(3), ${p(6)}::timestamp(3))`;
    });
    const text = `INSERT INTO "Job" ("id", "kind", "state", "key", "payload", "requestedBy", "maxAttempts", "runAfter", "createdAt", "updatedAt")
       VALUES ${tuples.join(", ")} ON CONFLICT ("key") DO NOTHING RETURNING "id", "key"`;
    // ahead of the job runner's queued work on the shared connection: the ack waits on this
    const { rows: inserted } =
      this.pool instanceof PriorityPool ? await this.pool.queryUrgent<{ id: string; key: string }>(text, values) : await this.pool.query<{ id: string; key: string }>(text, values);
    return new Map(inserted.map((row) => [row.key, row.id]));
  }

  /**
   * Claims the oldest job of these kinds that is due and held by nobody (never leased, or its
   * lease ran out), counting the claim as an attempt.
   */
  async claim(kinds: readonly string[], owner: string, leaseMs: number, now = new Date()): Promise<ClaimedJob | null> {
    // RETURNING names exactly ClaimedJob's fields, so the row is the claimed job as it stands
    const { rows } = await this.pool.query<ClaimedJob>(
      `UPDATE "Job" SET "leaseOwner" = $1, "leaseExpiresAt" = $2::timestamp(3), "state" = 'running', "attempts" = "attempts" + 1, "updatedAt" = $3::timestamp(3)
       WHERE "id" = (
         SELECT "id" FROM "Job"
         WHERE "kind" = ANY($4::text[]) AND "state" IN ('queued', 'running') AND "runAfter" <= $3::timestamp(3)
           AND ("leaseExpiresAt" IS NULL OR "leaseExpiresAt" < $3::timestamp(3))
         ORDER BY "createdAt" LIMIT 1 FOR UPDATE SKIP LOCKED)
       RETURNING "id", "kind", "key", "payload", "caseId", "requestedBy", "attempts", "maxAttempts", "lastError", "createdAt"`,
      [owner, at(new Date(now.getTime() + leaseMs)), at(now), kinds],
    );
    return rows[0] ?? null;
  }

  /** Extends the lease; false means another process has taken the job and this one must stop. */
  async renewLease(jobId: string, owner: string, leaseMs: number, now = new Date()): Promise<boolean> {
    const result = await this.pool.query(
      `UPDATE "Job" SET "leaseExpiresAt" = $3::timestamp(3) WHERE "id" = $1 AND "leaseOwner" = $2 AND "state" = 'running'`,
      [jobId, owner, at(new Date(now.getTime() + leaseMs))],
    );
    return result.rowCount === 1;
  }

  /** Ends the job if this owner still holds it. */
  async finish(jobId: string, owner: string, state: "done" | "failed", now = new Date()): Promise<boolean> {
    const result = await this.pool.query(
      `UPDATE "Job" SET "state" = $3, "finishedAt" = $4::timestamp(3), "updatedAt" = $4::timestamp(3), "leaseOwner" = NULL, "leaseExpiresAt" = NULL
       WHERE "id" = $1 AND "leaseOwner" = $2`,
      [jobId, owner, state, at(now)],
    );
    return result.rowCount === 1;
  }

  /** Gives the job back (graceful shutdown): another process may claim it at once, and the claim it had is not counted. */
  async release(jobId: string, owner: string, now = new Date()): Promise<void> {
    await this.pool.query(
      `UPDATE "Job" SET "leaseOwner" = NULL, "leaseExpiresAt" = NULL, "attempts" = GREATEST(0, "attempts" - 1), "updatedAt" = $3::timestamp(3)
       WHERE "id" = $1 AND "leaseOwner" = $2`,
      [jobId, owner, at(now)],
    );
  }

  /**
   * Ends a failed attempt: back in the queue after a backoff while attempts remain, else dead.
   * "lost" means this owner no longer held the job (another process took it over).
   */
  async failAttempt(jobId: string, owner: string, error: string, now = new Date(), random: () => number = Math.random): Promise<AttemptEnd> {
    const { rows } = await this.pool.query<{ attempts: number; maxAttempts: number }>(
      `SELECT "attempts", "maxAttempts" FROM "Job" WHERE "id" = $1 AND "leaseOwner" = $2`,
      [jobId, owner],
    );
    const row = rows[0];
    if (!row) return "lost";
    const dead = row.attempts >= row.maxAttempts;
    const runAfter = new Date(now.getTime() + backoffMs(row.attempts, random));
    const result = await this.pool.query(
      `UPDATE "Job" SET "state" = $3, "lastError" = $4, "runAfter" = $5::timestamp(3), "finishedAt" = $6::timestamp(3), "updatedAt" = $7::timestamp(3),
         "leaseOwner" = NULL, "leaseExpiresAt" = NULL
       WHERE "id" = $1 AND "leaseOwner" = $2`,
      [jobId, owner, dead ? "dead" : "queued", error.slice(0, 2000), at(runAfter), dead ? at(now) : null, at(now)],
    );
    if (result.rowCount !== 1) return "lost";
    return dead ? "dead" : "retry";
  }

  /** Marks a job dead that this owner holds (a claim past its last attempt). */
  async bury(jobId: string, owner: string, error: string, now = new Date()): Promise<boolean> {
    const result = await this.pool.query(
      `UPDATE "Job" SET "state" = 'dead', "lastError" = $3, "finishedAt" = $4::timestamp(3), "updatedAt" = $4::timestamp(3), "leaseOwner" = NULL, "leaseExpiresAt" = NULL
       WHERE "id" = $1 AND "leaseOwner" = $2`,
      [jobId, owner, error.slice(0, 2000), at(now)],
    );
    return result.rowCount === 1;
  }

  /** Deletes jobs of these kinds done before `cutoff` (their keys with them); returns how many. */
  async forgetDone(kinds: readonly string[], cutoff: Date): Promise<number> {
    const result = await this.pool.query(`DELETE FROM "Job" WHERE "kind" = ANY($1::text[]) AND "state" = 'done' AND "finishedAt" < $2::timestamp(3)`, [kinds, at(cutoff)]);
    return result.rowCount ?? 0;
  }

  /** Jobs of these kinds not yet finished (queued, running, or waiting out a backoff). */
  async unfinished(kinds: readonly string[]): Promise<number> {
    const { rows } = await this.pool.query<{ n: number }>(`SELECT count(*)::int AS n FROM "Job" WHERE "kind" = ANY($1::text[]) AND "state" IN ('queued', 'running')`, [kinds]);
    return rows[0]?.n ?? 0;
  }

  async state(jobId: string): Promise<{ state: QueuedJobState; attempts: number; lastError: string | null } | null> {
    const { rows } = await this.pool.query<{ state: QueuedJobState; attempts: number; lastError: string | null }>(
      `SELECT "state", "attempts", "lastError" FROM "Job" WHERE "id" = $1`,
      [jobId],
    );
    return rows[0] ?? null;
  }
}
