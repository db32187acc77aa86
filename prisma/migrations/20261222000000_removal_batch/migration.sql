-- A batch removal request: one approval card for up to 50 customers of the latest scan. Each
-- customer keeps an ordinary RemovalCase (batchId names its batch), so four eyes, expiry, audit and
-- exactly-once hold per customer; RemovalBatchMember keeps what the approval covered (the class
-- the scan gave) and each customer's outcome for the report.
CREATE TABLE "RemovalBatch" (
    "id" TEXT NOT NULL,
    "state" TEXT NOT NULL,
    "requestedBy" TEXT NOT NULL,
    "requestedAt" TIMESTAMP(3) NOT NULL,
    "expiresAt" TIMESTAMP(3) NOT NULL,
    "justification" TEXT NOT NULL,
    "scanJobId" TEXT NOT NULL,
    "decidedBy" TEXT,
    "decidedAt" TIMESTAMP(3),
    "rejectReason" TEXT,
    "approvalChannelId" TEXT,
    "approvalMessageTs" TEXT,
    "version" INTEGER NOT NULL DEFAULT 0,
    "finishedAt" TIMESTAMP(3),

    CONSTRAINT "RemovalBatch_pkey" PRIMARY KEY ("id")
);

CREATE INDEX "RemovalBatch_state_expiresAt_idx" ON "RemovalBatch"("state", "expiresAt");

CREATE TABLE "RemovalBatchMember" (
    "batchId" TEXT NOT NULL,
    "tenantId" TEXT NOT NULL,
    "caseId" TEXT NOT NULL,
    "position" INTEGER NOT NULL,
    "companyName" TEXT NOT NULL,
    "domain" TEXT NOT NULL,
    "cleanupClass" TEXT NOT NULL,
    "takenOut" BOOLEAN NOT NULL DEFAULT false,
    "outcome" TEXT,
    "outcomeReason" TEXT,

    CONSTRAINT "RemovalBatchMember_pkey" PRIMARY KEY ("batchId","tenantId")
);

ALTER TABLE "RemovalBatchMember" ADD CONSTRAINT "RemovalBatchMember_batchId_fkey" FOREIGN KEY ("batchId") REFERENCES "RemovalBatch"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

ALTER TABLE "RemovalCase" ADD COLUMN "batchId" TEXT;
