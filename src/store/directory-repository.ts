// The local customer directory: Partner Center's own filter is only a prefix match on the
// company name, so the picker searches this copy instead.
import type { Customer, RelationshipToPartner } from "../domain";
import type pg from "pg";
import { inTransaction } from "./pool-transaction";
import type { Prisma } from "./database";

const RELATIONSHIPS: readonly RelationshipToPartner[] = ["reseller", "advisor", "none", "unknown"];

function toCustomer(row: { tenantId: string; companyName: string; domain: string; relationshipToPartner: string }): Customer {
  return {
    tenantId: row.tenantId,
    companyName: row.companyName,
    domain: row.domain,
    relationshipToPartner: RELATIONSHIPS.find((r) => r === row.relationshipToPartner) ?? "unknown",
  };
}

export function searchTextOf(customer: Customer): string {
  return `${customer.companyName} ${customer.domain} ${customer.tenantId}`.toLowerCase();
}

/** Escapes LIKE wildcards so user text is matched literally. */
function likeLiteral(text: string): string {
  return text.replace(/[\\%_]/g, (ch) => `\\${ch}`);
}

/** pg_trgm indexes three-character pieces: shorter text has none to look up */
const TRIGRAM = 3;
/** a statement's rows, in bytes: well under glibc's 128 KB mmap threshold (see upsertMany) */
const UPSERT_STATEMENT_BYTES = 48 * 1024;
const SEARCH_COLUMNS = `"tenantId","companyName","domain","relationshipToPartner"`;
type SearchRow = { tenantId: string; companyName: string; domain: string; relationshipToPartner: string };

export class DirectoryRepository {
  constructor(
    private readonly prisma: Prisma,
    private readonly pool: pg.Pool,
  ) {}

  /**
   * Upserts one page of customers, in statements of at most ~48 KB of rows each. It goes to the
   * pool Prisma's adapter uses, not through Prisma: Prisma keeps its last 100 debug lines, each
   * query's parameters included, so a full sync's pages (~250 KB each) would stay in memory.
   * A page in one statement was one ~250 KB protocol message, copied on its way (pg's writer,
   * pglite-socket's reassembly of 64 KB socket reads in the database thread); glibc maps buffers
   * over 128 KB afresh each time, or, once it has raised that threshold, leaves them as holes in
   * its arenas (package.json config.mallocEnv; docs/benchmarks.md).
   * A failed page may leave its first statements applied; the upsert is idempotent and a failed
   * sync marks nobody missing, so the next sync puts it right.
   */
  async upsertMany(customers: Customer[], syncedAt: Date): Promise<void> {
    let batch: string[] = [];
    let bytes = 0;
    for (const c of customers) {
      const row = JSON.stringify({ a: c.tenantId, b: c.companyName, c: c.domain, d: c.relationshipToPartner, e: searchTextOf(c) });
      const size = Buffer.byteLength(row) + 1;
      if (bytes + size > UPSERT_STATEMENT_BYTES && batch.length > 0) {
        await this.upsertRows(batch, syncedAt);
        batch = [];
        bytes = 0;
      }
      batch.push(row);
      bytes += size;
    }
    if (batch.length > 0) await this.upsertRows(batch, syncedAt);
  }

  /** One statement for rows already serialised as JSON objects. */
  private async upsertRows(rows: string[], syncedAt: Date): Promise<void> {
    await this.pool.query(
      `INSERT INTO "DirectoryCustomer" ("tenantId","companyName","domain","relationshipToPartner","searchText","syncedAt")
       SELECT t.*, $2::timestamp(3) FROM jsonb_to_recordset($1::jsonb) AS t(a text, b text, c text, d text, e text)
       ON CONFLICT ("tenantId") DO UPDATE SET "companyName" = excluded."companyName", "domain" = excluded."domain",
         "relationshipToPartner" = excluded."relationshipToPartner", "searchText" = excluded."searchText", "syncedAt" = excluded."syncedAt"`,
      // in UTC as Prisma stores DateTime; a timestamp column ignores the "Z"
      [`[${rows.join(",")}]`, syncedAt.toISOString()],
    );
  }

  /** Marks customers not seen in the latest full sync as gone from the partner's list. */
  async markMissingAsRemoved(syncedAt: Date): Promise<number> {
    const result = await this.prisma.directoryCustomer.updateMany({
      where: { syncedAt: { lt: syncedAt }, relationshipToPartner: { not: "none" } },
      data: { relationshipToPartner: "none" },
    });
    return result.count;
  }

  async get(tenantId: string): Promise<Customer | null> {
    const row = await this.prisma.directoryCustomer.findUnique({ where: { tenantId } });
    return row ? toCustomer(row) : null;
  }

  async setRelationship(tenantId: string, relationship: RelationshipToPartner): Promise<void> {
    await this.prisma.directoryCustomer.updateMany({ where: { tenantId }, data: { relationshipToPartner: relationship } });
  }

  async count(): Promise<number> {
    return this.prisma.directoryCustomer.count();
  }

  /**
   * Refreshes the planner's statistics after a sync. The embedded database has no autovacuum, so
   * without this the planner never learns the table grew and scans it instead of using the
   * trigram index.
   */
  async refreshStatistics(): Promise<void> {
    await this.prisma.$executeRawUnsafe(`ANALYZE "DirectoryCustomer"`);
  }

  /** Whether the directory holds anyone; unlike count() it stops at the first row. */
  async isEmpty(): Promise<boolean> {
    return (await this.prisma.directoryCustomer.findFirst({ select: { tenantId: true } })) === null;
  }

  /**
   * Finds customers by company name, domain or tenant id, best matches first: an exact tenant id
   * alone; then names that start with the text; then customers with a word starting with each
   * word typed, in any order ("cont ph"); then, for three characters or more, the text anywhere.
   * No tier sorts all its matches (a word like "bank" can match thousands): the prefix tier walks
   * the text_pattern_ops index in order, the others stop at `limit` rows found through the
   * trigram index, and a tier runs only when the ones before it leave room. Two letters match
   * only prefixes and word starts: a trigram index cannot find them inside a word, so that would
   * read the whole table.
   */
  async search(query: string, limit = 10): Promise<Customer[]> {
    const text = query.trim().toLowerCase();
    if (!text || limit < 1) return [];
    const literal = likeLiteral(text);
    // $1 the text itself (an exact tenant id), $2 the limit, $3 the prefix pattern
    const params: Array<string | number> = [text, limit, `${literal}%`];
    const param = (value: string) => `$${params.push(value)}`;
    // every word typed must start a word of the customer's text, in any order ("cont ph")
    const wordStarts = text
      .split(/\s+/)
      .map(likeLiteral)
      .map((word) => `("searchText" LIKE ${param(`${word}%`)} OR "searchText" LIKE ${param(`% ${word}%`)})`)
      .join(" AND ");
    const tiers = [
      `SELECT 0 AS tier, ${SEARCH_COLUMNS} FROM "DirectoryCustomer" WHERE "tenantId" = $1`,
      `(SELECT 1, ${SEARCH_COLUMNS} FROM "DirectoryCustomer" WHERE "searchText" LIKE $3 ORDER BY "searchText" USING ~<~ LIMIT $2)`,
      `(SELECT 2, ${SEARCH_COLUMNS} FROM "DirectoryCustomer" WHERE "searchText" NOT LIKE $3 AND ${wordStarts} LIMIT $2)`,
    ];
    if (text.length >= TRIGRAM) {
      tiers.push(`(SELECT 3, ${SEARCH_COLUMNS} FROM "DirectoryCustomer" WHERE "searchText" LIKE ${param(`%${literal}%`)} AND "searchText" NOT LIKE $3 AND NOT (${wordStarts}) LIMIT $2)`);
    }
    // One statement: PostgreSQL runs the branches of a UNION ALL in order and the outer LIMIT
    // stops it as soon as it has enough rows, so a tier is only searched when the ones before it
    // leave room, in one round trip. It goes through the pool rather than Prisma, as upsertMany
    // does: this is the typeahead's hot path, and Prisma's per-query compilation doubled its cost.
    const rows = await this.withIndexScans((client) => client.query<SearchRow & { tier: number }>(`${tiers.join(" UNION ALL ")} LIMIT $2`, params));
    const exact = rows.rows.find((row) => row.tier === 0);
    if (exact) return [toCustomer(exact)];
    return rows.rows
      .sort((a, b) => a.tier - b.tier || a.companyName.localeCompare(b.companyName) || a.tenantId.localeCompare(b.tenantId))
      .map(toCustomer);
  }

  /**
   * Runs a query with sequential scans and parallel plans off, in a transaction of its own. The
   * planner reckons a common word ends a scan early, but a query whose words each match thousands
   * and together none ("energy st") then reads the whole table; the trigram index answers either
   * way in a few milliseconds. A parallel plan could run the tiers out of order.
   */
  private withIndexScans<T>(work: (client: pg.PoolClient) => Promise<T>): Promise<T> {
    return inTransaction(this.pool, work, "BEGIN; SET LOCAL enable_seqscan = off; SET LOCAL max_parallel_workers_per_gather = 0");
  }
}
