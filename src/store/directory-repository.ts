// The local customer directory: Partner Center's own filter is only a prefix match on the
// company name, so the picker searches this copy instead.
import type { Customer, RelationshipToPartner } from "../domain";
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

export class DirectoryRepository {
  constructor(private readonly prisma: Prisma) {}

  /** Upserts one page of customers in a single statement. */
  async upsertMany(customers: Customer[], syncedAt: Date): Promise<void> {
    if (customers.length === 0) return;
    const rows = customers.map((c) => [c.tenantId, c.companyName, c.domain, c.relationshipToPartner, searchTextOf(c)]);
    await this.prisma.$executeRawUnsafe(
      `INSERT INTO "DirectoryCustomer" ("tenantId","companyName","domain","relationshipToPartner","searchText","syncedAt")
       SELECT t.*, $2::timestamp(3) FROM jsonb_to_recordset($1::jsonb) AS t(a text, b text, c text, d text, e text)
       ON CONFLICT ("tenantId") DO UPDATE SET "companyName" = excluded."companyName", "domain" = excluded."domain",
         "relationshipToPartner" = excluded."relationshipToPartner", "searchText" = excluded."searchText", "syncedAt" = excluded."syncedAt"`,
      JSON.stringify(rows.map(([a, b, c, d, e]) => ({ a, b, c, d, e }))),
      syncedAt,
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
   * Finds customers by company name, domain or tenant id. Exact tenant ids and prefixes come
   * first (index scans; ordering by ~<~ lets the text_pattern_ops index return them in order
   * instead of sorting every match); substring matches fill the rest, asked for only when the
   * prefixes leave room (they use the trigram index where pg_trgm is installed; OFFSET 0 keeps
   * the planner from walking the companyName index instead, which reads most of the table when
   * the matches sort late).
   */
  async search(query: string, limit = 10): Promise<Customer[]> {
    const text = query.trim().toLowerCase();
    if (!text) return [];
    const exact = await this.prisma.directoryCustomer.findUnique({ where: { tenantId: text } });
    if (exact) return [toCustomer(exact)];
    const literal = likeLiteral(text);
    type Row = { tenantId: string; companyName: string; domain: string; relationshipToPartner: string };
    const prefixed = await this.prisma.$queryRawUnsafe<Row[]>(
      `SELECT * FROM (SELECT "tenantId","companyName","domain","relationshipToPartner" FROM "DirectoryCustomer"
         WHERE "searchText" LIKE $1 ORDER BY "searchText" USING ~<~ LIMIT $2) AS hits ORDER BY "companyName"`,
      `${literal}%`,
      limit,
    );
    // enough prefix matches: substring ones would rank below them and never be shown
    if (prefixed.length >= limit) return prefixed.map(toCustomer);
    const contained = await this.prisma.$queryRawUnsafe<Row[]>(
      `SELECT * FROM (SELECT "tenantId","companyName","domain","relationshipToPartner" FROM "DirectoryCustomer"
         WHERE "searchText" LIKE $1 AND "searchText" NOT LIKE $2 OFFSET 0) AS hits ORDER BY "companyName" LIMIT $3`,
      `%${literal}%`,
      `${literal}%`,
      limit - prefixed.length,
    );
    const rows = [...prefixed, ...contained];
    return rows.map(toCustomer);
  }
}
