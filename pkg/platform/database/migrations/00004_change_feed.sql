-- The change feed reads the audit trail in transaction order: each event
-- carries its transaction id, and a reader returns only events of
-- transactions older than every one still running, so none is skipped.

-- +goose Up
ALTER TABLE audit_events ADD COLUMN xid xid8 NOT NULL DEFAULT pg_current_xact_id();
CREATE INDEX audit_events_feed ON audit_events (xid, id);

-- +goose Down
DROP INDEX audit_events_feed;
ALTER TABLE audit_events DROP COLUMN xid;
