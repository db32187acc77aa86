// The local customer directory: Partner Center's own filter is only a prefix match on the
// company name, so the picker searches this copy instead.
import type { Customer, RelationshipToPartner } from "../domain";
import type pg from "pg";
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
const SEARCH_COLUMNS = `"tenantId","companyName","domain","relationshipToPartner"`;
type SearchRow = { tenantId: string; companyName: string; domain: string; relationshipToPartner: string };

export class DirectoryRepository {
  constructor(
    private readonly prisma: Prisma,
    private readonly pool: pg.Pool,
  ) {}

  /**
   * Upserts one page of customers in a single statement. It goes to the pool Prisma's adapter
   * uses, not through Prisma: Prisma keeps its last 100 debug lines, each query's parameters
   * included, so a full sync's pages (~250 KB each) would stay in memory.
   */
  async upsertMany(customers: Customer[], syncedAt: Date): Promise<void> {
    if (customers.length === 0) return;
    const rows = customers.map((c) => [c.tenantId, c.companyName, c.domain, c.relationshipToPartner, searchTextOf(c)]);
    await this.pool.query(
      `INSERT INTO "DirectoryCustomer" ("tenantId","companyName","domain","relationshipToPartner","searchText","syncedAt")
       SELECT t.*, $2::timestamp(3) FROM jsonb_to_recordset($1::jsonb) AS t(a text, b text, c text, d text, e text)
       ON CONFLICT ("tenantId") DO UPDATE SET "companyName" = excluded."companyName", "domain" = excluded."domain",
         "relationshipToPartner" = excluded."relationshipToPartner", "searchText" = excluded."searchText", "syncedAt" = excluded."syncedAt"`,
      // in UTC as Prisma stores DateTime; a timestamp column ignores the "Z"
      [JSON.stringify(rows.map(([a, b, c, d, e]) => ({ a, b, c, d, e }))), syncedAt.toISOString()],
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
    const exact = await this.prisma.$queryRawUnsafe<SearchRow[]>(`SELECT ${SEARCH_COLUMNS} FROM "DirectoryCustomer" WHERE "tenantId" = $1`, text);
    if (exact[0]) return [toCustomer(exact[0])];
    const literal = likeLiteral(text);
    const prefix = `${literal}%`;
    // every word typed must start a word of the customer's text, in any order ("cont ph")
    const words = text.split(/\s+/).map(likeLiteral);
    const wordPatterns = words.flatMap((word) => [`${word}%`, `% ${word}%`]);
    const wordStarts = words.map((_, i) => `("searchText" LIKE $${2 * i + 2} OR "searchText" LIKE $${2 * i + 3})`).join(" AND ");
    // a later tier runs only when the earlier ones leave room, and leaves out what they found
    const tiers: Array<{ where: string; patterns: string[]; ordered?: boolean }> = [
      { where: `"searchText" LIKE $1`, patterns: [prefix], ordered: true },
      { where: `"searchText" NOT LIKE $1 AND ${wordStarts}`, patterns: [prefix, ...wordPatterns] },
    ];
    if (text.length >= TRIGRAM) {
      tiers.push({ where: `"searchText" LIKE $${wordPatterns.length + 2} AND "searchText" NOT LIKE $1 AND NOT (${wordStarts})`, patterns: [prefix, ...wordPatterns, `%${literal}%`] });
    }
    // The planner reckons a common word ends a scan early, but a query whose words each match
    // thousands and together none ("energy st") then reads the whole table; the trigram index
    // answers either way in a few milliseconds and the LIMIT stops the heap reads early.
    const found: Customer[] = [];
    await this.prisma.$transaction(async (tx) => {
      await tx.$executeRawUnsafe("SET LOCAL enable_seqscan = off");
      for (const tier of tiers) {
        const room = limit - found.length;
        if (room <= 0) break;
        const limitParam = `$${tier.patterns.length + 1}`;
        const rows = await tx.$queryRawUnsafe<SearchRow[]>(
          tier.ordered
            ? `SELECT ${SEARCH_COLUMNS} FROM "DirectoryCustomer" WHERE ${tier.where} ORDER BY "searchText" USING ~<~ LIMIT ${limitParam}`
            : `SELECT ${SEARCH_COLUMNS} FROM "DirectoryCustomer" WHERE ${tier.where} LIMIT ${limitParam}`,
          ...tier.patterns,
          room,
        );
        rows.sort((a, b) => a.companyName.localeCompare(b.companyName) || a.tenantId.localeCompare(b.tenantId));
        found.push(...rows.map(toCustomer));
      }
    });
    return found;
  }
}
