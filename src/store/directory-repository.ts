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
   * Finds customers by company name, domain or tenant id. Exact tenant ids and prefixes come
   * first (index scans); a substring match fills the rest.
   */
  async search(query: string, limit = 10): Promise<Customer[]> {
    const text = query.trim().toLowerCase();
    if (!text) return [];
    const exact = await this.prisma.directoryCustomer.findUnique({ where: { tenantId: text } });
    if (exact) return [toCustomer(exact)];
    const literal = likeLiteral(text);
    const rows = await this.prisma.$queryRawUnsafe<Array<{ tenantId: string; companyName: string; domain: string; relationshipToPartner: string }>>(
      `(SELECT "tenantId","companyName","domain","relationshipToPartner", 0 AS rank FROM "DirectoryCustomer"
         WHERE "searchText" LIKE $1 ORDER BY "searchText" LIMIT $3)
       UNION ALL
       (SELECT "tenantId","companyName","domain","relationshipToPartner", 1 AS rank FROM "DirectoryCustomer"
         WHERE "searchText" LIKE $2 AND "searchText" NOT LIKE $1 ORDER BY "companyName" LIMIT $3)
       ORDER BY rank, "companyName" LIMIT $3`,
      `${literal}%`,
      `%${literal}%`,
      limit,
    );
    return rows.map(toCustomer);
  }
}
