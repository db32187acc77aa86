// Batch removal requests: the batch, its customers (each with an ordinary RemovalCase) and their
// outcomes. The writes that must not be torn apart are one transaction each: a request (batch,
// cases, members), and an approval (batch, every case approved with its decision, and one durable
// job per customer), so a crash after the approval loses no customer's work.
import type pg from "pg";
import { inTransaction } from "./pool-transaction";
import { BATCH_OUTCOMES, BATCH_STATES, type BatchOutcome, type BatchState, CLEANUP_CLASSES, type CleanupClass, type RemovalBatch, type RemovalCase, isActive } from "../domain";
import type { ApprovalDecision, MessageRef } from "./case-repository";
import { CaseAlreadyActiveError } from "./case-repository";
import { GDAP_ENDING, GDAP_LIST_ITEM } from "./gdap-job-repository";
import { type AuditEventInput, auditEventsAsJson, insertAuditEventsFromJson } from "./audit-repository";

export const BATCH_REMOVAL = "batch_removal";

export interface StoredBatch extends RemovalBatch {
  approvalMessage: MessageRef | null;
  finishedAt: Date | null;
}

export interface BatchMember {
  batchId: string;
  tenantId: string;
  caseId: string;
  position: number;
  companyName: string;
  domain: string;
  /** the class the scan gave, which the approval covered */
  cleanupClass: CleanupClass;
  takenOut: boolean;
  outcome: BatchOutcome | null;
  outcomeReason: string | null;
  /** ids of the subscriptions the batch suspended for this customer */
  suspended: string[];
  /** ids of the subscriptions the batch set out to suspend (noted before each PATCH) */
  suspending: string[];
}

/** A customer's durable job, made with the approval. */
export interface BatchJob {
  caseId: string;
  tenantId: string;
}

const at = (date: Date | null) => (date ? date.toISOString() : null);
const BATCH_COLUMNS = `"id", "state", "requestedBy", "requestedAt", "expiresAt", "justification", "scanJobId", "decidedBy", "decidedAt", "rejectReason", "approvalChannelId", "approvalMessageTs", "version", "finishedAt", "remindedAt", "endGdap"`;
const MEMBER_COLUMNS = `"batchId", "tenantId", "caseId", "position", "companyName", "domain", "cleanupClass", "takenOut", "outcome", "outcomeReason", "suspended", "suspending"`;

type BatchRow = Omit<StoredBatch, "approvalMessage" | "state"> & { state: string; approvalChannelId: string | null; approvalMessageTs: string | null };
type MemberRow = Omit<BatchMember, "cleanupClass" | "outcome"> & { cleanupClass: string; outcome: string | null };

function toBatch(row: BatchRow): StoredBatch {
  // fail closed: a state this version does not know is read as expired, which nothing moves on
  const state: BatchState = BATCH_STATES.find((s) => s === row.state) ?? "expired";
  const { approvalChannelId, approvalMessageTs, ...rest } = row;
  return { ...rest, state, approvalMessage: approvalChannelId && approvalMessageTs ? { channelId: approvalChannelId, ts: approvalMessageTs } : null };
}

function toMember(row: MemberRow): BatchMember {
  return {
    ...row,
    // an unknown class is not batchable: execution reopens rather than suspends
    cleanupClass: CLEANUP_CLASSES.find((c) => c === row.cleanupClass) ?? "unreadable",
    outcome: BATCH_OUTCOMES.find((o) => o === row.outcome) ?? (row.outcome === null ? null : "not_removed"),
  };
}

function isUniqueViolation(error: unknown): boolean {
  return typeof error === "object" && error !== null && "code" in error && error.code === "23505";
}

/** A held GDAP ending for the case, as GdapJobRepository.hold makes one (its listing item first). */
async function holdGdapEnding(client: pg.PoolClient, caseId: string, decision: ApprovalDecision): Promise<void> {
  await client.query(`UPDATE "Job" SET "state" = 'cancelled', "finishedAt" = $2::timestamp(3) WHERE "caseId" = $1 AND "kind" = $3 AND "state" = 'held'`, [caseId, at(decision.decidedAt), GDAP_ENDING]);
  const { rows } = await client.query<{ id: string }>(
    `INSERT INTO "Job" ("id", "caseId", "kind", "state", "requestedBy", "total", "createdAt", "updatedAt") VALUES (gen_random_uuid()::text, $1, $2, 'held', $3, 0, $4::timestamp(3), $4::timestamp(3)) RETURNING "id"`,
    [caseId, GDAP_ENDING, decision.decidedBy, at(decision.decidedAt)],
  );
  await client.query(
    `INSERT INTO "JobItem" ("jobId", "subscriptionId", "label", "action", "state", "requestId", "updatedAt") VALUES ($1, $2, 'the customer''s GDAP relationships', 'list', 'pending', gen_random_uuid()::text, $3::timestamp(3))`,
    [rows[0]?.id, GDAP_LIST_ITEM, at(decision.decidedAt)],
  );
}

export class BatchRepository {
  constructor(private readonly pool: pg.Pool) {}

  private inTransaction<T>(work: (client: pg.PoolClient) => Promise<T | null>): Promise<T | null> {
    return inTransaction(this.pool, work);
  }

  /** Saves a delivered request: the batch, each customer's case (awaiting approval) and its member row. */
  async create(batch: RemovalBatch, cases: ReadonlyArray<{ removalCase: RemovalCase; cleanupClass: CleanupClass }>, message: MessageRef): Promise<void> {
    try {
      await this.inTransaction(async (client) => {
        await client.query(
          `INSERT INTO "RemovalBatch" ("id", "state", "requestedBy", "requestedAt", "expiresAt", "justification", "scanJobId", "approvalChannelId", "approvalMessageTs", "version")
           VALUES ($1, $2, $3, $4::timestamp(3), $5::timestamp(3), $6, $7, $8, $9, $10)`,
          [batch.id, batch.state, batch.requestedBy, at(batch.requestedAt), at(batch.expiresAt), batch.justification, batch.scanJobId, message.channelId, message.ts, batch.version],
        );
        for (const [position, { removalCase: c, cleanupClass }] of cases.entries()) {
          await client.query(
            `INSERT INTO "RemovalCase" ("id", "tenantId", "companyName", "domain", "state", "openedBy", "openedAt", "requestedBy", "requestedAt", "expiresAt", "justification", "activeTenantId", "version", "batchId", "updatedAt")
             VALUES ($1, $2, $3, $4, $5, $6, $7::timestamp(3), $8, $9::timestamp(3), $10::timestamp(3), $11, $12, $13, $14, $7::timestamp(3))`,
            [c.id, c.tenantId, c.companyName, c.domain, c.state, c.openedBy, at(c.openedAt), c.requestedBy, at(c.requestedAt), at(c.expiresAt), c.justification, isActive(c.state) ? c.tenantId : null, c.version, batch.id],
          );
          await client.query(
            `INSERT INTO "RemovalBatchMember" ("batchId", "tenantId", "caseId", "position", "companyName", "domain", "cleanupClass") VALUES ($1, $2, $3, $4, $5, $6, $7)`,
            [batch.id, c.tenantId.toLowerCase(), c.id, position, c.companyName, c.domain, cleanupClass],
          );
        }
        return true;
      });
    } catch (error) {
      // a case was opened for one of them meanwhile: nothing of the batch was saved
      if (isUniqueViolation(error)) throw new CaseAlreadyActiveError("One of the customers got an open case meanwhile; nothing was requested.");
      throw error;
    }
  }

  async get(id: string): Promise<StoredBatch | null> {
    const { rows } = await this.pool.query<BatchRow>(`SELECT ${BATCH_COLUMNS} FROM "RemovalBatch" WHERE "id" = $1`, [id]);
    return rows[0] ? toBatch(rows[0]) : null;
  }

  async members(batchId: string): Promise<BatchMember[]> {
    const { rows } = await this.pool.query<MemberRow>(`SELECT ${MEMBER_COLUMNS} FROM "RemovalBatchMember" WHERE "batchId" = $1 ORDER BY "position"`, [batchId]);
    return rows.map(toMember);
  }

  async member(batchId: string, tenantId: string): Promise<BatchMember | null> {
    const { rows } = await this.pool.query<MemberRow>(`SELECT ${MEMBER_COLUMNS} FROM "RemovalBatchMember" WHERE "batchId" = $1 AND "tenantId" = $2`, [batchId, tenantId.toLowerCase()]);
    return rows[0] ? toMember(rows[0]) : null;
  }

  /** Writes the batch's next state if nobody moved it since; false when someone did. */
  async save(next: RemovalBatch, client: pg.Pool | pg.PoolClient = this.pool): Promise<boolean> {
    const finished = next.state === "approved" || next.state === "awaiting_approval" ? null : new Date();
    const result = await client.query(
      `UPDATE "RemovalBatch" SET "state" = $3, "decidedBy" = $4, "decidedAt" = $5::timestamp(3), "rejectReason" = $6, "version" = $2, "finishedAt" = $7::timestamp(3), "endGdap" = $8
       WHERE "id" = $1 AND "version" = $2 - 1`,
      [next.id, next.version, next.state, next.decidedBy, at(next.decidedAt), next.rejectReason, at(finished), next.endGdap],
    );
    return result.rowCount === 1;
  }

  /**
   * The approval, whole or not at all: the batch, each case approved (if nobody moved it) with its
   * decision, one job per customer keyed by batch and customer, and where the approver chose to
   * end GDAP relationships (next.endGdap) one held GDAP ending per case, released once Partner
   * Center confirms that customer's removal. False: someone moved one first.
   */
  async approve(next: RemovalBatch, cases: readonly RemovalCase[], decision: ApprovalDecision, jobs: readonly BatchJob[], maxAttempts: number): Promise<boolean> {
    const done = await this.inTransaction(async (client) => {
      if (!(await this.save(next, client))) return null;
      for (const c of cases) {
        const updated = await client.query(
          `UPDATE "RemovalCase" SET "state" = $3, "decidedBy" = $4, "decidedAt" = $5::timestamp(3), "version" = $2, "updatedAt" = $5::timestamp(3) WHERE "id" = $1 AND "version" = $2 - 1`,
          [c.id, c.version, c.state, c.decidedBy, at(c.decidedAt)],
        );
        if (updated.rowCount !== 1) return null;
        await client.query(
          `INSERT INTO "Approval" ("id", "caseId", "decidedBy", "decision", "reason", "decidedAt") VALUES (gen_random_uuid()::text, $1, $2, $3, $4, $5::timestamp(3))
           ON CONFLICT ("caseId") DO UPDATE SET "decidedBy" = EXCLUDED."decidedBy", "decision" = EXCLUDED."decision", "reason" = EXCLUDED."reason", "decidedAt" = EXCLUDED."decidedAt"`,
          [c.id, decision.decidedBy, decision.decision, decision.reason, at(decision.decidedAt)],
        );
        if (next.endGdap === true) await holdGdapEnding(client, c.id, decision);
      }
      for (const job of jobs) {
        await client.query(
          `INSERT INTO "Job" ("id", "caseId", "kind", "state", "key", "payload", "requestedBy", "maxAttempts", "runAfter", "createdAt", "updatedAt")
           VALUES (gen_random_uuid()::text, $1, $2, 'queued', $3, $4::jsonb, $5, $6, $7::timestamp(3), $7::timestamp(3), $7::timestamp(3)) ON CONFLICT ("key") DO NOTHING`,
          [job.caseId, BATCH_REMOVAL, `batch:${next.id}:${job.tenantId.toLowerCase()}`, JSON.stringify({ batchId: next.id, tenantId: job.tenantId.toLowerCase() }), decision.decidedBy, maxAttempts, at(decision.decidedAt)],
        );
      }
      return true;
    });
    return done === true;
  }

  /** Marks customers taken out of a waiting batch, with the batch's next version; false if it moved. */
  async takeOut(next: RemovalBatch, tenantIds: readonly string[]): Promise<boolean> {
    const done = await this.inTransaction(async (client) => {
      if (!(await this.save(next, client))) return null;
      await client.query(`UPDATE "RemovalBatchMember" SET "takenOut" = true WHERE "batchId" = $1 AND "tenantId" = ANY($2::text[])`, [next.id, tenantIds.map((t) => t.toLowerCase())]);
      return true;
    });
    return done === true;
  }

  /** Notes, before its PATCH, that the batch is about to suspend this subscription. */
  async noteSuspending(batchId: string, tenantId: string, subscriptionId: string): Promise<void> {
    await this.pool.query(
      `UPDATE "RemovalBatchMember" SET "suspending" = array_append("suspending", $3) WHERE "batchId" = $1 AND "tenantId" = $2 AND NOT ($3 = ANY("suspending"))`,
      [batchId, tenantId.toLowerCase(), subscriptionId],
    );
  }

  /**
   * Records a suspension that landed, with its audit event, in one statement: both or neither, and
   * once (a second record of the same subscription writes nothing).
   */
  async noteSuspended(batchId: string, tenantId: string, subscriptionId: string, audit: AuditEventInput, now = new Date()): Promise<void> {
    await this.pool.query(
      `WITH noted AS (
         UPDATE "RemovalBatchMember" SET "suspended" = array_append("suspended", $3) WHERE "batchId" = $1 AND "tenantId" = $2 AND NOT ($3 = ANY("suspended"))
         RETURNING 1
       )
       ${insertAuditEventsFromJson("$4")} WHERE EXISTS (SELECT 1 FROM noted)`,
      [batchId, tenantId.toLowerCase(), subscriptionId, auditEventsAsJson([audit], now)],
    );
  }

  /** Replaces a recorded outcome that the case's later state overtook; false when it was no longer `from`. */
  async reviseOutcome(batchId: string, tenantId: string, from: BatchOutcome, outcome: BatchOutcome, reason: string | null): Promise<boolean> {
    const result = await this.pool.query(
      `UPDATE "RemovalBatchMember" SET "outcome" = $4, "outcomeReason" = $5 WHERE "batchId" = $1 AND "tenantId" = $2 AND "outcome" = $3`,
      [batchId, tenantId.toLowerCase(), from, outcome, reason?.slice(0, 1000) ?? null],
    );
    return result.rowCount === 1;
  }

  /** A customer's outcome, once: false when it already had one (a repeated job). */
  async recordOutcome(batchId: string, tenantId: string, outcome: BatchOutcome, reason: string | null): Promise<boolean> {
    const result = await this.pool.query(
      `UPDATE "RemovalBatchMember" SET "outcome" = $3, "outcomeReason" = $4 WHERE "batchId" = $1 AND "tenantId" = $2 AND "outcome" IS NULL`,
      [batchId, tenantId.toLowerCase(), outcome, reason?.slice(0, 1000) ?? null],
    );
    return result.rowCount === 1;
  }

  /** Batches waiting for approval, soonest to expire first, with how many customers each still holds. */
  async listWaiting(limit = 20): Promise<Array<StoredBatch & { customers: number }>> {
    const { rows } = await this.pool.query<BatchRow & { customers: number }>(
      `SELECT ${BATCH_COLUMNS}, (SELECT count(*)::int FROM "RemovalBatchMember" m WHERE m."batchId" = b."id" AND NOT m."takenOut") AS "customers"
       FROM "RemovalBatch" b WHERE "state" = 'awaiting_approval' ORDER BY "expiresAt" LIMIT $1`,
      [limit],
    );
    return rows.map((row) => ({ ...toBatch(row), customers: row.customers }));
  }

  /** Waiting batches expiring before `before` whose approvers were not reminded yet. */
  async listUnreminded(before: Date, limit = 100): Promise<StoredBatch[]> {
    const { rows } = await this.pool.query<BatchRow>(
      `SELECT ${BATCH_COLUMNS} FROM "RemovalBatch" WHERE "state" = 'awaiting_approval' AND "remindedAt" IS NULL AND "expiresAt" < $1::timestamp(3) LIMIT $2`,
      [at(before), limit],
    );
    return rows.map(toBatch);
  }

  /** Marks a waiting batch as reminded, once: false if it was already (or no longer waits). */
  async markReminded(id: string, when: Date): Promise<boolean> {
    const result = await this.pool.query(`UPDATE "RemovalBatch" SET "remindedAt" = $2::timestamp(3) WHERE "id" = $1 AND "state" = 'awaiting_approval' AND "remindedAt" IS NULL`, [id, at(when)]);
    return result.rowCount === 1;
  }

  async listExpired(now: Date, limit = 100): Promise<StoredBatch[]> {
    const { rows } = await this.pool.query<BatchRow>(`SELECT ${BATCH_COLUMNS} FROM "RemovalBatch" WHERE "state" = 'awaiting_approval' AND "expiresAt" < $1::timestamp(3) LIMIT $2`, [at(now), limit]);
    return rows.map(toBatch);
  }

  /** Whether the case's batch job is still to be worked (the removal sweep leaves it to that job). */
  async workPending(caseId: string): Promise<boolean> {
    const { rows } = await this.pool.query(`SELECT 1 FROM "Job" WHERE "caseId" = $1 AND "kind" = $2 AND "state" IN ('queued', 'running') LIMIT 1`, [caseId, BATCH_REMOVAL]);
    return rows.length > 0;
  }
}
