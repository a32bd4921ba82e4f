-- A partnership's history is read from the audit trail: the events on the
-- partnership itself and on everything that names it (parties, ledger lines,
-- allocations, indicators, evaluations, lessons, follow-ups) or owns it
-- (the partnership's documents).

-- +goose Up
CREATE INDEX audit_events_partnership
    ON audit_events ((coalesce(after ->> 'partnership_id', before ->> 'partnership_id', after ->> 'owner_id', before ->> 'owner_id')), id);

-- +goose Down
DROP INDEX audit_events_partnership;
