-- Customer search: substring matches (LIKE '%…%') through a trigram index instead of reading every
-- row (100,000 customers took ~45 ms a query on the embedded database). pg_trgm goes into public so
-- deployments in other schemas (and test schemas, dropped afterwards) share one copy. Where the
-- extension is missing or may not be created, search still works, by scanning.
DO $$
DECLARE
  ext_schema text;
BEGIN
  IF EXISTS (SELECT 1 FROM pg_available_extensions WHERE name = 'pg_trgm') THEN
    BEGIN
      CREATE EXTENSION IF NOT EXISTS pg_trgm SCHEMA public;
    EXCEPTION WHEN insufficient_privilege OR invalid_schema_name OR unique_violation OR duplicate_object THEN
      RAISE NOTICE 'pg_trgm not created; customer search scans instead';
    END;
    SELECT n.nspname INTO ext_schema FROM pg_extension e JOIN pg_namespace n ON n.oid = e.extnamespace WHERE e.extname = 'pg_trgm';
    IF ext_schema IS NOT NULL THEN
      EXECUTE format('CREATE INDEX "DirectoryCustomer_searchText_trgm" ON "DirectoryCustomer" USING gin ("searchText" %I.gin_trgm_ops)', ext_schema);
    END IF;
  END IF;
END $$;
