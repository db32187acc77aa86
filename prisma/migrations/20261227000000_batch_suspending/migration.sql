-- The subscriptions a batch job set out to suspend for a customer, noted before each PATCH: a try
-- that died between a suspension landing and its record is finished by the next try (recorded and
-- audited once, reported as suspended), never left a change without its audit event.
ALTER TABLE "RemovalBatchMember" ADD COLUMN "suspending" TEXT[] NOT NULL DEFAULT ARRAY[]::TEXT[];
