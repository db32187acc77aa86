-- The portfolio scan: one row per scan (its Job in the job table works it) and one row per
-- customer it covers, so a scan taken over after a crash reads only the customers not yet done.
-- CreateTable
CREATE TABLE "Scan" (
    "jobId" TEXT NOT NULL,
    "requestedBy" TEXT NOT NULL,
    "channelId" TEXT NOT NULL,
    "messageTs" TEXT,
    "active" BOOLEAN NOT NULL DEFAULT true,
    "listedAt" TIMESTAMP(3),
    "total" INTEGER NOT NULL DEFAULT 0,
    "startedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "finishedAt" TIMESTAMP(3),
    "resultTs" TEXT,

    CONSTRAINT "Scan_pkey" PRIMARY KEY ("jobId")
);

-- CreateTable
CREATE TABLE "ScanCustomer" (
    "jobId" TEXT NOT NULL,
    "tenantId" TEXT NOT NULL,
    "position" INTEGER NOT NULL,
    "companyName" TEXT NOT NULL,
    "domain" TEXT NOT NULL,
    "relationship" TEXT NOT NULL,
    "state" TEXT NOT NULL DEFAULT 'pending',
    "cleanupClass" TEXT,
    "blockerKinds" TEXT[] NOT NULL DEFAULT ARRAY[]::TEXT[],
    "reasons" JSONB,
    "lastActivity" TIMESTAMP(3),
    "scannedAt" TIMESTAMP(3),

    CONSTRAINT "ScanCustomer_pkey" PRIMARY KEY ("jobId","tenantId")
);

-- CreateIndex
CREATE INDEX "ScanCustomer_jobId_state_position_idx" ON "ScanCustomer"("jobId", "state", "position");

-- one scan at a time: a second /offboard scan finds the running one (Prisma cannot express a partial index)
CREATE UNIQUE INDEX "Scan_one_active" ON "Scan"("active") WHERE "active";

-- AddForeignKey
ALTER TABLE "ScanCustomer" ADD CONSTRAINT "ScanCustomer_jobId_fkey" FOREIGN KEY ("jobId") REFERENCES "Scan"("jobId") ON DELETE CASCADE ON UPDATE CASCADE;
