import { AuditRepository } from "./audit-repository";
import { BatchRepository } from "./batch-repository";
import { CaseRepository } from "./case-repository";
import type { Database } from "./database";
import { DirectoryRepository } from "./directory-repository";
import { JobQueue } from "./job-queue";
import { GdapJobRepository } from "./gdap-job-repository";
import { JobRepository } from "./job-repository";
import { ProcessedRequestRepository } from "./processed-request-repository";
import { ScanRepository } from "./scan-repository";
import { SlackRequestRepository } from "./slack-request-repository";
import { TokenCacheRepository } from "./token-cache-repository";

export * from "./audit-repository";
export * from "./batch-repository";
export * from "./case-repository";
export * from "./database";
export * from "./directory-repository";
export * from "./job-queue";
export * from "./job-journal";
export * from "./gdap-job-repository";
export * from "./job-repository";
export * from "./processed-request-repository";
export * from "./scan-repository";
export * from "./slack-request-repository";
export * from "./token-cache-repository";

export interface Store {
  cases: CaseRepository;
  audit: AuditRepository;
  directory: DirectoryRepository;
  jobs: JobRepository;
  /** every kind of durable job: enqueue, claim, lease, retry, dead */
  queue: JobQueue;
  /** GDAP endings, on the jobs' tables */
  gdapJobs: GdapJobRepository;
  processed: ProcessedRequestRepository;
  tokenCache: TokenCacheRepository;
  /** portfolio scans and the customers each one has read */
  scans: ScanRepository;
  /** batch removal requests, their customers and outcomes */
  batches: BatchRepository;
  /** how Slack's requests fared per instance (signatures verified or refused), for the doctor */
  slackRequests: SlackRequestRepository;
}

export function createStore(db: Database): Store {
  return {
    cases: new CaseRepository(db.prisma),
    audit: new AuditRepository(db.prisma),
    directory: new DirectoryRepository(db.prisma, db.pool),
    jobs: new JobRepository(db.prisma, db.pool),
    queue: new JobQueue(db.pool),
    gdapJobs: new GdapJobRepository(db.prisma),
    processed: new ProcessedRequestRepository(db.prisma, db.pool),
    tokenCache: new TokenCacheRepository(db.prisma),
    scans: new ScanRepository(db.pool),
    batches: new BatchRepository(db.pool),
    slackRequests: new SlackRequestRepository(db.pool),
  };
}
