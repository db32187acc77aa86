// The portfolio scan's rows: the scan (worked by a Job of kind portfolio_scan) and one row per
// customer it covers. A customer's row is written done with its class as soon as it is read, so
// a scan taken over after a crash reads only the customers still pending.
import type pg from "pg";
import { inTransaction } from "./pool-transaction";
import { z } from "zod";
import { CLEANUP_CLASSES, type CleanupClass, type Customer, type RelationshipToPartner, type ScanGdap } from "../domain";

export const PORTFOLIO_SCAN = "portfolio_scan";

export interface ScanRecord {
  jobId: string;
  requestedBy: string;
  /** where its messages go: where it was started, until the bot had to post them elsewhere */
  channelId: string;
  messageTs: string | null;
  active: boolean;
  listedAt: Date | null;
  total: number;
  startedAt: Date;
  finishedAt: Date | null;
  resultTs: string | null;
}

export type ScanCustomerInput = Customer;

export interface PendingScanCustomer extends Customer {
  position: number;
}

const RELATIONSHIPS: readonly RelationshipToPartner[] = ["reseller", "advisor", "none", "unknown"];

export interface ScanCustomerResult {
  tenantId: string;
  cleanupClass: CleanupClass;
  blockerKinds: string[];
  reasons: string[];
  lastActivity: Date | null;
  /** the candidate's GDAP relationships, when the scan read them */
  gdap?: ScanGdap | undefined;
}

export interface ScannedCustomer extends ScanCustomerResult {
  companyName: string;
  domain: string;
}

export interface ScanCounts {
  total: number;
  done: number;
  byClass: Record<CleanupClass, number>;
}

const at = (date: Date) => date.toISOString();
const SCAN_COLUMNS = `"jobId", "requestedBy", "channelId", "messageTs", "active", "listedAt", "total", "startedAt", "finishedAt", "resultTs"`;

function toClass(value: string | null): CleanupClass {
  // fail closed: a class this version does not know is shown as unreadable, never as ready
  return CLEANUP_CLASSES.find((known) => known === value) ?? "unreadable";
}

const storedGdap = z.discriminatedUnion("read", [
  z.object({ read: z.literal("not_checked") }),
  z.object({ read: z.literal("ok"), toEnd: z.number().int().min(0), unrecognised: z.number().int().min(0), total: z.number().int().min(0) }),
  z.object({ read: z.literal("failed"), error: z.string() }),
]);

function toGdap(value: unknown): ScanGdap {
  if (value === null || value === undefined) return { read: "not_checked" };
  const parsed = storedGdap.safeParse(value);
  // fail closed: a record this version cannot read is said as not read, never as "none"
  return parsed.success ? parsed.data : { read: "failed", error: "the stored GDAP result is not one this version reads" };
}

function toStrings(value: unknown): string[] {
  return Array.isArray(value) ? value.map(String) : [];
}

export class ScanRepository {
  constructor(private readonly pool: pg.Pool) {}

  /**
   * Queues a scan (its job and its row) unless one is running: one statement each in one
   * transaction, so a job never exists without its scan. Returns the running one otherwise.
   */
  async start(input: { requestedBy: string; channelId: string; key: string; maxAttempts: number }, now = new Date()): Promise<{ created: boolean; scan: ScanRecord }> {
    const running = await this.active();
    if (running) return { created: false, scan: running };
    const created = await inTransaction(this.pool, async (client) => {
      const job = await client.query<{ id: string }>(
        `INSERT INTO "Job" ("id", "kind", "state", "key", "payload", "requestedBy", "maxAttempts", "runAfter", "createdAt", "updatedAt")
         VALUES (gen_random_uuid()::text, $1, 'queued', $2, '{}'::jsonb, $3, $4, $5::timestamp(3), $5::timestamp(3), $5::timestamp(3)) RETURNING "id"`,
        [PORTFOLIO_SCAN, input.key, input.requestedBy, input.maxAttempts, at(now)],
      );
      const jobId = job.rows[0]?.id;
      if (!jobId) throw new Error("the scan's job was not created");
      const scan = await client.query<ScanRecord>(
        `INSERT INTO "Scan" ("jobId", "requestedBy", "channelId", "startedAt") VALUES ($1, $2, $3, $4::timestamp(3))
         ON CONFLICT DO NOTHING RETURNING ${SCAN_COLUMNS}`,
        [jobId, input.requestedBy, input.channelId, at(now)],
      );
      // null rolls the job back: another request started one between our look and our insert
      return scan.rows[0] ?? null;
    });
    if (created) return { created: true, scan: created };
    const other = await this.active();
    if (!other) throw new Error("a scan was running and then was not");
    return { created: false, scan: other };
  }

  async get(jobId: string): Promise<ScanRecord | null> {
    const { rows } = await this.pool.query<ScanRecord>(`SELECT ${SCAN_COLUMNS} FROM "Scan" WHERE "jobId" = $1`, [jobId]);
    return rows[0] ?? null;
  }

  async active(): Promise<ScanRecord | null> {
    const { rows } = await this.pool.query<ScanRecord>(`SELECT ${SCAN_COLUMNS} FROM "Scan" WHERE "active" LIMIT 1`);
    return rows[0] ?? null;
  }

  /** the running scan, else the one that finished last */
  async latest(): Promise<ScanRecord | null> {
    const { rows } = await this.pool.query<ScanRecord>(`SELECT ${SCAN_COLUMNS} FROM "Scan" ORDER BY "active" DESC, "startedAt" DESC LIMIT 1`);
    return rows[0] ?? null;
  }

  /** The progress message, and the channel it is in: where the scan was started, unless the bot could not post there. */
  async setMessage(jobId: string, messageTs: string, channelId: string): Promise<void> {
    await this.pool.query(`UPDATE "Scan" SET "messageTs" = $2, "channelId" = $3 WHERE "jobId" = $1`, [jobId, messageTs, channelId]);
  }

  async setResult(jobId: string, resultTs: string, channelId: string): Promise<void> {
    await this.pool.query(`UPDATE "Scan" SET "resultTs" = $2, "channelId" = $3 WHERE "jobId" = $1`, [jobId, resultTs, channelId]);
  }

  /** Adds a page of the customer list; a page added before (a resumed listing) adds nothing. */
  async addCustomers(jobId: string, firstPosition: number, customers: readonly ScanCustomerInput[]): Promise<void> {
    if (customers.length === 0) return;
    await this.pool.query(
      `INSERT INTO "ScanCustomer" ("jobId", "tenantId", "position", "companyName", "domain", "relationship")
       SELECT $1, t, p, n, d, r FROM unnest($2::text[], $3::int[], $4::text[], $5::text[], $6::text[]) AS u(t, p, n, d, r)
       ON CONFLICT DO NOTHING`,
      [
        jobId,
        customers.map((c) => c.tenantId.toLowerCase()),
        customers.map((_, i) => firstPosition + i),
        customers.map((c) => c.companyName),
        customers.map((c) => c.domain),
        customers.map((c) => c.relationshipToPartner),
      ],
    );
  }

  async markListed(jobId: string, now = new Date()): Promise<number> {
    const { rows } = await this.pool.query<{ total: number }>(
      `UPDATE "Scan" SET "listedAt" = $2::timestamp(3), "total" = (SELECT count(*)::int FROM "ScanCustomer" WHERE "jobId" = $1) WHERE "jobId" = $1 RETURNING "total"`,
      [jobId, at(now)],
    );
    return rows[0]?.total ?? 0;
  }

  /** customers not yet read, in list order, after `afterPosition` */
  async pending(jobId: string, afterPosition: number, limit: number): Promise<PendingScanCustomer[]> {
    const { rows } = await this.pool.query<{ tenantId: string; companyName: string; domain: string; relationship: string; position: number }>(
      `SELECT "tenantId", "companyName", "domain", "relationship", "position" FROM "ScanCustomer"
       WHERE "jobId" = $1 AND "state" = 'pending' AND "position" > $2 ORDER BY "position" LIMIT $3`,
      [jobId, afterPosition, limit],
    );
    return rows.map(({ relationship, ...row }) => ({ ...row, relationshipToPartner: RELATIONSHIPS.find((r) => r === relationship) ?? "unknown" }));
  }

  /** Writes customers done with their class, in one statement. */
  async record(jobId: string, results: readonly ScanCustomerResult[], now = new Date()): Promise<void> {
    if (results.length === 0) return;
    await this.pool.query(
      `UPDATE "ScanCustomer" AS s SET "state" = 'done', "cleanupClass" = u.c, "blockerKinds" = ARRAY(SELECT jsonb_array_elements_text(u.k)),
         "reasons" = u.r, "lastActivity" = u.a, "gdap" = u.g, "scannedAt" = $7::timestamp(3)
       FROM unnest($2::text[], $3::text[], $4::jsonb[], $5::jsonb[], $6::timestamp(3)[], $8::jsonb[]) AS u(t, c, k, r, a, g)
       WHERE s."jobId" = $1 AND s."tenantId" = u.t`,
      [
        jobId,
        results.map((r) => r.tenantId.toLowerCase()),
        results.map((r) => r.cleanupClass),
        results.map((r) => JSON.stringify(r.blockerKinds)),
        results.map((r) => JSON.stringify(r.reasons)),
        results.map((r) => (r.lastActivity ? at(r.lastActivity) : null)),
        at(now),
        results.map((r) => (r.gdap && r.gdap.read !== "not_checked" ? JSON.stringify(r.gdap) : null)),
      ],
    );
  }

  async counts(jobId: string): Promise<ScanCounts> {
    const { rows } = await this.pool.query<{ cleanupClass: string | null; state: string; n: number }>(
      `SELECT "cleanupClass", "state", count(*)::int AS n FROM "ScanCustomer" WHERE "jobId" = $1 GROUP BY "cleanupClass", "state"`,
      [jobId],
    );
    const byClass = Object.fromEntries(CLEANUP_CLASSES.map((c) => [c, 0])) as Record<CleanupClass, number>;
    let total = 0;
    let done = 0;
    for (const row of rows) {
      total += row.n;
      if (row.state !== "done") continue;
      done += row.n;
      byClass[toClass(row.cleanupClass)] += row.n;
    }
    return { total, done, byClass };
  }

  /** Every customer read so far, in list order; `classes` narrows it. */
  async results(jobId: string, classes?: readonly CleanupClass[], limit = 100_000): Promise<ScannedCustomer[]> {
    const { rows } = await this.pool.query<{ tenantId: string; companyName: string; domain: string; cleanupClass: string | null; blockerKinds: string[]; reasons: unknown; lastActivity: Date | null; gdap: unknown }>(
      `SELECT "tenantId", "companyName", "domain", "cleanupClass", "blockerKinds", "reasons", "lastActivity", "gdap" FROM "ScanCustomer"
       WHERE "jobId" = $1 AND "state" = 'done' AND ($2::text[] IS NULL OR "cleanupClass" = ANY($2::text[])) ORDER BY "position" LIMIT $3`,
      [jobId, classes ? [...classes] : null, limit],
    );
    return rows.map((row) => ({ ...row, cleanupClass: toClass(row.cleanupClass), blockerKinds: row.blockerKinds ?? [], reasons: toStrings(row.reasons), gdap: toGdap(row.gdap) }));
  }

  /** What the scan read of these customers' GDAP relationships, by tenant id in lower case. */
  async gdapOf(jobId: string, tenantIds: readonly string[]): Promise<Map<string, ScanGdap>> {
    if (tenantIds.length === 0) return new Map();
    const { rows } = await this.pool.query<{ tenantId: string; gdap: unknown }>(
      `SELECT "tenantId", "gdap" FROM "ScanCustomer" WHERE "jobId" = $1 AND lower("tenantId") = ANY($2::text[])`,
      [jobId, tenantIds.map((t) => t.toLowerCase())],
    );
    return new Map(rows.map((row) => [row.tenantId.toLowerCase(), toGdap(row.gdap)]));
  }

  async finish(jobId: string, now = new Date()): Promise<boolean> {
    const result = await this.pool.query(`UPDATE "Scan" SET "active" = false, "finishedAt" = $2::timestamp(3) WHERE "jobId" = $1 AND "active"`, [jobId, at(now)]);
    return result.rowCount === 1;
  }
}
