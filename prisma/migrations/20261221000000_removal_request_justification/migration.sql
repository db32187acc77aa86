-- A removal request carries the requester's justification (shown to approvers, kept with the
-- case), and the time approvers were reminded of it before it expires, so they are reminded once.
ALTER TABLE "RemovalCase" ADD COLUMN "justification" TEXT;
ALTER TABLE "RemovalCase" ADD COLUMN "remindedAt" TIMESTAMP(3);
