-- What the portfolio scan read of a candidate's GDAP relationships (ready and suspend-only
-- customers; domain/scan-gdap.ts): null when not read.
ALTER TABLE "ScanCustomer" ADD COLUMN "gdap" JSONB;
