-- Every acknowledged Slack interaction becomes a durable job beside Suspend all: an
-- idempotency key, its request as payload, attempts with a backoff, and a dead state.
-- DropForeignKey
ALTER TABLE "Job" DROP CONSTRAINT "Job_caseId_fkey";

-- AlterTable
ALTER TABLE "Job" ADD COLUMN     "attempts" INTEGER NOT NULL DEFAULT 0,
ADD COLUMN     "key" TEXT,
ADD COLUMN     "lastError" TEXT,
ADD COLUMN     "maxAttempts" INTEGER NOT NULL DEFAULT 10,
ADD COLUMN     "payload" JSONB,
ADD COLUMN     "runAfter" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
ALTER COLUMN "caseId" DROP NOT NULL,
ALTER COLUMN "total" SET DEFAULT 0;

-- CreateIndex
CREATE UNIQUE INDEX "Job_key_key" ON "Job"("key");

-- CreateIndex
CREATE INDEX "Job_state_runAfter_idx" ON "Job"("state", "runAfter");

-- AddForeignKey
ALTER TABLE "Job" ADD CONSTRAINT "Job_caseId_fkey" FOREIGN KEY ("caseId") REFERENCES "RemovalCase"("id") ON DELETE SET NULL ON UPDATE CASCADE;

