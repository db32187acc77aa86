import { AuditRepository } from "./audit-repository";
import { CaseRepository } from "./case-repository";
import type { Database } from "./database";
import { DirectoryRepository } from "./directory-repository";
import { JobRepository } from "./job-repository";
import { ProcessedRequestRepository } from "./processed-request-repository";
import { TokenCacheRepository } from "./token-cache-repository";

export * from "./audit-repository";
export * from "./case-repository";
export * from "./database";
export * from "./directory-repository";
export * from "./job-repository";
export * from "./processed-request-repository";
export * from "./token-cache-repository";

export interface Store {
  cases: CaseRepository;
  audit: AuditRepository;
  directory: DirectoryRepository;
  jobs: JobRepository;
  processed: ProcessedRequestRepository;
  tokenCache: TokenCacheRepository;
}

export function createStore(db: Database): Store {
  return {
    cases: new CaseRepository(db.prisma),
    audit: new AuditRepository(db.prisma),
    directory: new DirectoryRepository(db.prisma, db.pool),
    jobs: new JobRepository(db.prisma, db.pool),
    processed: new ProcessedRequestRepository(db.prisma, db.pool),
    tokenCache: new TokenCacheRepository(db.prisma),
  };
}
