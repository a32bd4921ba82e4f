-- The organisation register is national: what a tenant keeps of an
-- organisation, its districts and target groups, lives in the tenant's
-- organisation_profiles row (migration 00015 copied the installation's
-- classification there), and the service reads it only there. The shared
-- record's columns go, so that no tenant's classification is left on a
-- row every tenant reads.

-- +goose Up
DROP INDEX organisations_districts, organisations_target_groups;
ALTER TABLE organisations DROP COLUMN district_ids, DROP COLUMN target_groups;

-- +goose Down
SET LOCAL statement_timeout = 0;
ALTER TABLE organisations ADD COLUMN district_ids uuid[] NOT NULL DEFAULT '{}',
    ADD COLUMN target_groups text[] NOT NULL DEFAULT '{}';
-- Back from the profiles of the first tenant (an installation that moved
-- into one tenant: its own); other tenants' classifications have no place
-- in the shared record.
UPDATE organisations o SET district_ids = p.district_ids, target_groups = p.target_groups
FROM organisation_profiles p
WHERE p.organisation_id = o.id
  AND p.tenant_id = (SELECT id FROM tenants ORDER BY created_at, id LIMIT 1);
CREATE INDEX organisations_districts ON organisations USING gin (district_ids);
CREATE INDEX organisations_target_groups ON organisations USING gin (target_groups);
