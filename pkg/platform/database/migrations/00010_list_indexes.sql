-- An index for every sort the list endpoints accept, so a page of a list
-- walks an index instead of sorting the whole table (checked on a
-- region-scale dataset by TestListPlansUseIndexes).

-- +goose Up
-- Partnerships sort by start date with the undated first (descending: last);
-- the expression is the one the list orders by.
CREATE INDEX partnerships_start_sort ON partnerships ((coalesce(start_date, '0001-01-01'::date)), id);
DROP INDEX partnerships_start;
CREATE INDEX partnerships_created ON partnerships (created_at, id);
CREATE INDEX partnerships_participation ON partnerships (participation_level) WHERE participation_level IS NOT NULL;
CREATE INDEX organisations_created ON organisations (created_at, id);

-- +goose Down
DROP INDEX organisations_created;
DROP INDEX partnerships_participation;
DROP INDEX partnerships_created;
CREATE INDEX partnerships_start ON partnerships (start_date, id);
DROP INDEX partnerships_start_sort;
