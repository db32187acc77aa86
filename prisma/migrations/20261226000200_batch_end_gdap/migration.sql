-- The approver's choice to end each removed customer's GDAP relationships, as on a single
-- approval; null where the app leaves GDAP alone. The held ending jobs are made in the approval's
-- transaction, so the choice and what carries it out are saved together.
ALTER TABLE "RemovalBatch" ADD COLUMN "endGdap" BOOLEAN;
