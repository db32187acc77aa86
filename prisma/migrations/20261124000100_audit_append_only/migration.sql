-- The audit trail is append-only: refuse UPDATE and DELETE at the database as well as in the store.
CREATE OR REPLACE FUNCTION audit_event_append_only() RETURNS trigger AS $$
BEGIN
  RAISE EXCEPTION 'AuditEvent is append-only';
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER audit_event_no_update_or_delete
  BEFORE UPDATE OR DELETE ON "AuditEvent"
  FOR EACH ROW EXECUTE FUNCTION audit_event_append_only();

-- Customer search: prefix scans on the lower-cased search text.
CREATE INDEX "DirectoryCustomer_searchText_prefix" ON "DirectoryCustomer" ("searchText" text_pattern_ops);
