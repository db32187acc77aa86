// Where MSAL's token cache lives between runs: one sealed blob per key. The store never sees
// the tokens themselves (partner-center/token-cache-plugin.ts seals them first).
import type { Prisma } from "./database";

export class TokenCacheRepository {
  constructor(private readonly prisma: Prisma) {}

  async load(key: string): Promise<string | null> {
    const row = await this.prisma.tokenCache.findUnique({ where: { key } });
    return row?.data ?? null;
  }

  async save(key: string, data: string): Promise<void> {
    await this.prisma.tokenCache.upsert({ where: { key }, create: { key, data }, update: { data } });
  }
}
