-- The subscriptions a batch suspended for a customer, recorded as each suspension lands: a job
-- tried again after it had suspended them finds none active any more, and still reports
-- "suspended and removed".
ALTER TABLE "RemovalBatchMember" ADD COLUMN "suspended" TEXT[] NOT NULL DEFAULT ARRAY[]::TEXT[];
