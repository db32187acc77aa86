-- When the approvers were reminded of a waiting batch before it expires (once, as a single request).
ALTER TABLE "RemovalBatch" ADD COLUMN "remindedAt" TIMESTAMP(3);
