// GDAP endings as durable jobs (kind gdap_ending) on the Job and JobItem tables: one job per
// approval that chose to end them, held until Partner Center confirms the removal (the case is
// `removed`), then released to the queue and claimed through a lease like any job. Its first item
// lists the customer's relationships; that listing adds one item per relationship to end, in the
// same transaction that marks it done, so a resumed job never lists twice. Each item keeps the
// client-request-id its Graph calls carry. Claims, leases, finishing and retrying failed items are
// the job queue's and the job repository's (they work by job id, whatever the kind).
import crypto from "node:crypto";
import { type AuditEventInput, appendAuditEvent } from "./audit-repository";
import type { Prisma } from "./database";
import type { Job as JobRow, JobItem as JobItemRow } from "./generated/client";
import type { JobItemState, JobProgress } from "./job-repository";

export const GDAP_ENDING = "gdap_ending";
/** the item that lists the customer's relationships; relationship ids ("<guid>-<guid>") never look like it */
export const GDAP_LIST_ITEM = "gdap:list";

/** held: waiting for the removal to be confirmed; cancelled: replaced by a later approval */
export type GdapJobState = "held" | "queued" | "running" | "done" | "failed" | "cancelled";
export type GdapItemAction = "list" | "terminate" | "delete";

export interface GdapJob {
  id: string;
  caseId: string;
  state: GdapJobState;
  requestedBy: string;
  leaseOwner: string | null;
  leaseExpiresAt: Date | null;
  createdAt: Date;
  finishedAt: Date | null;
}

export interface GdapJobItem {
  /** the relationship's id, or GDAP_LIST_ITEM */
  relationshipId: string;
  name: string;
  action: GdapItemAction;
  state: JobItemState;
  attempts: number;
  /** sent as client-request-id on this item's Graph calls */
  clientRequestId: string;
  /** why it is not done, in Graph's words where Graph gave some */
  lastError: string | null;
}

export interface GdapListedRelationship {
  relationshipId: string;
  name: string;
  action: "terminate" | "delete";
}

const STATES: readonly GdapJobState[] = ["held", "queued", "running", "done", "failed", "cancelled"];

function toJob(row: JobRow): GdapJob {
  return {
    id: row.id,
    caseId: row.caseId ?? "",
    // fail closed: a state this code does not know (dead: out of attempts, included) is shown as
    // failed, never as done, and is retried the same way
    state: STATES.find((s) => s === row.state) ?? "failed",
    requestedBy: row.requestedBy,
    leaseOwner: row.leaseOwner,
    leaseExpiresAt: row.leaseExpiresAt,
    createdAt: row.createdAt,
    finishedAt: row.finishedAt,
  };
}

function toItem(row: JobItemRow): GdapJobItem {
  const action: GdapItemAction = row.action === "list" || row.action === "delete" ? row.action : "terminate";
  return {
    relationshipId: row.subscriptionId,
    name: row.label,
    action,
    state: row.state === "done" || row.state === "failed" ? row.state : "pending",
    attempts: row.attempts,
    clientRequestId: row.requestId,
    lastError: row.lastError,
  };
}

/** Progress over the relationships only; the listing item is not one of them. */
export function gdapProgress(items: readonly GdapJobItem[]): JobProgress {
  const relationships = items.filter((i) => i.action !== "list");
  const count = (state: JobItemState) => relationships.filter((i) => i.state === state).length;
  return { total: relationships.length, done: count("done"), failed: count("failed"), pending: count("pending") };
}

export class GdapJobRepository {
  constructor(private readonly prisma: Prisma) {}

  /**
   * Records an approval's choice to end the customer's GDAP relationships: a held job with its
   * listing item. An earlier held job of the case (an approval whose removal never happened) is
   * cancelled, so one removal ends them once.
   */
  async hold(caseId: string, requestedBy: string, now = new Date()): Promise<GdapJob> {
    return this.prisma.$transaction(async (tx) => {
      await tx.$queryRawUnsafe(`SELECT 1 FROM "RemovalCase" WHERE "id" = $1 FOR UPDATE`, caseId);
      await tx.job.updateMany({ where: { caseId, kind: GDAP_ENDING, state: "held" }, data: { state: "cancelled", finishedAt: now } });
      const row = await tx.job.create({ data: { id: crypto.randomUUID(), caseId, kind: GDAP_ENDING, state: "held", requestedBy, total: 0 } });
      await tx.jobItem.create({ data: { jobId: row.id, subscriptionId: GDAP_LIST_ITEM, label: "the customer's GDAP relationships", action: "list", state: "pending", requestId: crypto.randomUUID() } });
      return toJob(row);
    });
  }

  /** An approval that chose to keep them: nothing held for this case stays waiting. */
  async cancelHeld(caseId: string, now = new Date()): Promise<number> {
    const result = await this.prisma.job.updateMany({ where: { caseId, kind: GDAP_ENDING, state: "held" }, data: { state: "cancelled", finishedAt: now } });
    return result.count;
  }

  /**
   * Releases held jobs whose removal Partner Center has confirmed (the case is `removed`) to the
   * queue: of one case, or of every case (the sweep, after a crash between the two steps).
   */
  async releaseHeld(caseId?: string, now = new Date()): Promise<number> {
    const result = await this.prisma.$executeRawUnsafe(
      `UPDATE "Job" j SET "state" = 'queued', "runAfter" = $1::timestamp(3), "updatedAt" = $1::timestamp(3)
       FROM "RemovalCase" c
       WHERE c."id" = j."caseId" AND c."state" = 'removed' AND j."kind" = '${GDAP_ENDING}' AND j."state" = 'held' AND ($2::text IS NULL OR j."caseId" = $2)`,
      now.toISOString(),
      caseId ?? null,
    );
    return result;
  }

  async get(id: string): Promise<GdapJob | null> {
    const row = await this.prisma.job.findFirst({ where: { id, kind: GDAP_ENDING } });
    return row ? toJob(row) : null;
  }

  /** The case's GDAP job that counts: the latest not replaced by a later approval. */
  async latestForCase(caseId: string): Promise<GdapJob | null> {
    const row = await this.prisma.job.findFirst({ where: { caseId, kind: GDAP_ENDING, state: { not: "cancelled" } }, orderBy: { createdAt: "desc" } });
    return row ? toJob(row) : null;
  }

  /** The listing item first, then the relationships by name. */
  async items(jobId: string): Promise<GdapJobItem[]> {
    const rows = await this.prisma.jobItem.findMany({ where: { jobId }, orderBy: [{ label: "asc" }, { subscriptionId: "asc" }] });
    const items = rows.map(toItem);
    return [...items.filter((i) => i.action === "list"), ...items.filter((i) => i.action !== "list")];
  }

  /**
   * What the listing found to end, added as items in the same transaction that marks the listing
   * done (with its audit event): a job resumed after a crash either lists again or works these.
   */
  async recordListed(jobId: string, relationships: readonly GdapListedRelationship[], audit: AuditEventInput, now = new Date()): Promise<void> {
    await this.prisma.$transaction(async (tx) => {
      await tx.jobItem.createMany({
        data: relationships.map((r) => ({ jobId, subscriptionId: r.relationshipId, label: r.name, action: r.action, state: "pending", requestId: crypto.randomUUID() })),
        skipDuplicates: true,
      });
      await tx.jobItem.update({
        where: { jobId_subscriptionId: { jobId, subscriptionId: GDAP_LIST_ITEM } },
        data: { state: "done", lastError: null, attempts: { increment: 1 } },
      });
      await tx.job.update({ where: { id: jobId }, data: { total: await tx.jobItem.count({ where: { jobId, NOT: { action: "list" } } }) } });
      await appendAuditEvent(tx, audit, now);
    });
  }
}
