// Remembers request keys already handled, so a Slack retry or a double click does one thing once.
import type { Prisma } from "./database";
import { isUniqueViolation } from "./database";

export class ProcessedRequestRepository {
  constructor(private readonly prisma: Prisma) {}

  /** True the first time a key is seen, false on every later call with the same key. */
  async firstTime(key: string): Promise<boolean> {
    try {
      await this.prisma.processedRequest.create({ data: { key } });
      return true;
    } catch (error) {
      if (isUniqueViolation(error)) return false;
      throw error;
    }
  }

  async forgetOlderThan(cutoff: Date): Promise<number> {
    const result = await this.prisma.processedRequest.deleteMany({ where: { createdAt: { lt: cutoff } } });
    return result.count;
  }
}
