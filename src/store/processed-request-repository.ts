// Remembers request keys already handled, so a Slack retry or a double click does one thing once.
import type pg from "pg";
import type { Prisma } from "./database";

export class ProcessedRequestRepository {
  constructor(
    private readonly prisma: Prisma,
    private readonly pool: pg.Pool,
  ) {}

  /**
   * True the first time a key is seen, false on every later call with the same key. Every Slack
   * request comes through here, so it is one plain statement through the pool: through Prisma,
   * compiling the insert cost the main thread more than the rest of the acknowledgement.
   */
  async firstTime(key: string): Promise<boolean> {
    // the time goes in as UTC ISO text, as Prisma stores DateTime, whatever the server's time zone
    const inserted = await this.pool.query(`INSERT INTO "ProcessedRequest" ("key", "createdAt") VALUES ($1, $2::timestamp(3)) ON CONFLICT ("key") DO NOTHING`, [key, new Date().toISOString()]);
    return inserted.rowCount === 1;
  }

  async forgetOlderThan(cutoff: Date): Promise<number> {
    const result = await this.prisma.processedRequest.deleteMany({ where: { createdAt: { lt: cutoff } } });
    return result.count;
  }
}
