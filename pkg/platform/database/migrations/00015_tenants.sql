-- Tenants: each municipality or region (a huvudman) is a tenant, and one
-- deployment serves many (ADR 0012, docs/security.md "Tenants").
--
-- Every row a tenant owns carries tenant_id, and PostgreSQL itself keeps
-- tenants apart with row-level security: the service sets the tenant per
-- transaction (SET LOCAL, through set_config(…, true)) as samverkan_app,
-- which may not bypass the policies, so a query that forgets its tenant
-- filter finds nothing of another tenant. What the world shares stays
-- shared: municipalities, the organisation register, the base code lists
-- and indicator definitions, the state-aid rules and exchange rates.
--
-- Rows that hang on a partnership carry the partnership's tenant (set by a
-- trigger from the parent), so that a partnership and all that hangs on it
-- live together (the distribution column for Citus, ADR 0012); tenants a
-- partnership is shared with, and a reporter's organisation that is a
-- party to it, read them through samverkan_shared_partnerships().
--
-- An existing installation moves into one tenant: the municipality most of
-- its partnerships belong to.

-- +goose Up
SET LOCAL statement_timeout = 0;

-- The tenant, organisation and platform scope of the current transaction.
-- +goose StatementBegin
CREATE FUNCTION samverkan_tenant() RETURNS uuid LANGUAGE sql STABLE PARALLEL SAFE AS $$
    SELECT NULLIF(current_setting('samverkan.tenant', true), '')::uuid
$$;
CREATE FUNCTION samverkan_organisation() RETURNS uuid LANGUAGE sql STABLE PARALLEL SAFE AS $$
    SELECT NULLIF(current_setting('samverkan.organisation', true), '')::uuid
$$;
CREATE FUNCTION samverkan_platform() RETURNS boolean LANGUAGE sql STABLE PARALLEL SAFE AS $$
    SELECT coalesce(current_setting('samverkan.platform', true), '') = 'on'
$$;
-- Whether the current transaction may see a row of tenant t. (The
-- policies below spell it out with the settings read in sub-selects:
-- PostgreSQL then reads them once per statement, not once per row, which
-- a function call, even inlined, would.)
CREATE FUNCTION samverkan_sees(t uuid) RETURNS boolean LANGUAGE sql STABLE PARALLEL SAFE AS $$
    SELECT t = samverkan_tenant() OR samverkan_platform()
$$;
-- +goose StatementEnd

CREATE TABLE tenants (
    id          uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    kind        text NOT NULL CHECK (kind IN ('municipality', 'region')),
    code        text NOT NULL UNIQUE CHECK (code ~ '^[0-9]{2}$|^[0-9]{4}$'),
    org_number  char(11) UNIQUE CHECK (org_number ~ '^[0-9]{6}-[0-9]{4}$'),
    name        text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
    colour      text NOT NULL DEFAULT '#1f5f8b' CHECK (colour ~ '^#[0-9a-f]{6}$'),
    host        text UNIQUE CHECK (host ~ '^[a-z0-9.-]{1,253}$'),
    -- Until when the platform operator may read the tenant's records,
    -- granted by the tenant's administrator (recorded in the audit trail).
    operator_access_until timestamptz,
    version     integer NOT NULL DEFAULT 1,
    created_at  timestamptz NOT NULL DEFAULT now(),
    updated_at  timestamptz NOT NULL DEFAULT now(),
    CHECK ((kind = 'municipality') = (length(code) = 4))
);

-- Tenants a partnership is shared with besides its owner: they read it and
-- record their own contributions and allocations on it.
CREATE TABLE partnership_tenants (
    partnership_id  uuid NOT NULL REFERENCES partnerships (id),
    tenant_id       uuid NOT NULL REFERENCES tenants (id),
    owner_tenant_id uuid NOT NULL REFERENCES tenants (id),
    created_at      timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (partnership_id, tenant_id),
    CHECK (tenant_id <> owner_tenant_id)
);
CREATE INDEX partnership_tenants_tenant ON partnership_tenants (tenant_id, partnership_id);

-- What a tenant keeps of an organisation in the national register: its own
-- classification and notes.
CREATE TABLE organisation_profiles (
    tenant_id       uuid NOT NULL REFERENCES tenants (id),
    organisation_id uuid NOT NULL REFERENCES organisations (id),
    district_ids    uuid[] NOT NULL DEFAULT '{}',
    target_groups   text[] NOT NULL DEFAULT '{}',
    notes           text NOT NULL DEFAULT '',
    version         integer NOT NULL DEFAULT 1,
    created_at      timestamptz NOT NULL DEFAULT now(),
    updated_at      timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (tenant_id, organisation_id)
);
CREATE INDEX organisation_profiles_districts ON organisation_profiles USING gin (district_ids);
CREATE INDEX organisation_profiles_target_groups ON organisation_profiles USING gin (target_groups);

-- Platform operators belong to no tenant.
ALTER TABLE users DROP CONSTRAINT users_role_check;
ALTER TABLE users ADD CONSTRAINT users_role_check
    CHECK (role IN ('operator', 'admin', 'editor', 'district_editor', 'viewer', 'reporter'));

-- +goose StatementBegin
DO $$
DECLARE
    owned text[] := ARRAY[
        'districts', 'contacts', 'users', 'api_clients', 'refresh_tokens', 'funding_sources',
        'partnerships', 'partnership_status_changes', 'partnership_parties', 'commitments',
        'allocations', 'disbursements', 'indicators', 'indicator_targets', 'measurements',
        'follow_ups', 'evaluations', 'party_assessments', 'lessons', 'documents', 'document_blobs',
        'webhooks', 'webhook_deliveries', 'action_plans', 'action_plan_goal_areas',
        'action_plan_activities', 'action_plan_activity_history', 'meetings', 'meeting_participants',
        'meeting_actions', 'matching_rounds', 'matching_entries', 'matching_matches',
        'notifications', 'notification_preferences'];
    shared text[] := ARRAY['code_list_entries', 'indicator_definitions', 'audit_events'];
    t text;
    has_rows boolean := false;
    found boolean;
    home char(4);
    home_tenant uuid;
BEGIN
    FOREACH t IN ARRAY owned LOOP
        EXECUTE format('SELECT EXISTS (SELECT 1 FROM %I)', t) INTO found;
        has_rows := has_rows OR found;
    END LOOP;
    has_rows := has_rows OR EXISTS (SELECT 1 FROM code_list_entries WHERE municipality_code IS NOT NULL)
        OR EXISTS (SELECT 1 FROM indicator_definitions);
    IF has_rows THEN
        SELECT municipality_code INTO home FROM partnerships GROUP BY municipality_code ORDER BY count(*) DESC, municipality_code LIMIT 1;
        IF home IS NULL THEN
            SELECT municipality_code INTO home FROM districts ORDER BY municipality_code LIMIT 1;
        END IF;
        IF home IS NULL THEN
            SELECT code INTO home FROM municipalities ORDER BY code LIMIT 1;
        END IF;
        INSERT INTO tenants (kind, code, name)
        SELECT 'municipality', coalesce(home, '0000'), coalesce((SELECT name FROM municipalities WHERE code = home), 'Kommunen')
        RETURNING id INTO home_tenant;
    END IF;

    FOREACH t IN ARRAY owned LOOP
        EXECUTE format('ALTER TABLE %I ADD COLUMN tenant_id uuid REFERENCES tenants (id)', t);
        IF home_tenant IS NOT NULL THEN
            EXECUTE format('UPDATE %I SET tenant_id = %L', t, home_tenant);
        END IF;
        IF t NOT IN ('users', 'refresh_tokens') THEN
            EXECUTE format('ALTER TABLE %I ALTER COLUMN tenant_id SET NOT NULL', t);
        END IF;
        EXECUTE format('ALTER TABLE %I ALTER COLUMN tenant_id SET DEFAULT samverkan_tenant()', t);
        EXECUTE format('ALTER TABLE %I ENABLE ROW LEVEL SECURITY', t);
    END LOOP;
    FOREACH t IN ARRAY shared LOOP
        EXECUTE format('ALTER TABLE %I ADD COLUMN tenant_id uuid REFERENCES tenants (id)', t);
        EXECUTE format('ALTER TABLE %I ALTER COLUMN tenant_id SET DEFAULT samverkan_tenant()', t);
        EXECUTE format('ALTER TABLE %I ENABLE ROW LEVEL SECURITY', t);
    END LOOP;
    -- What this installation added to the shared lists is its own.
    IF home_tenant IS NOT NULL THEN
        UPDATE code_list_entries SET tenant_id = home_tenant WHERE municipality_code IS NOT NULL;
        UPDATE indicator_definitions SET tenant_id = home_tenant;
        -- The trail is append-only; this once, its events are given their
        -- tenant (a column outside the hash chain).
        ALTER TABLE audit_events DISABLE TRIGGER audit_events_no_change;
        UPDATE audit_events SET tenant_id = home_tenant;
        ALTER TABLE audit_events ENABLE TRIGGER audit_events_no_change;
        -- At version 0: an organisation's version adds its profile's, and
        -- what the installation kept of it is no change.
        INSERT INTO organisation_profiles (tenant_id, organisation_id, district_ids, target_groups, version)
        SELECT home_tenant, id, district_ids, target_groups, 0 FROM organisations
        WHERE district_ids <> '{}' OR target_groups <> '{}';
    END IF;
END
$$;
-- +goose StatementEnd
ALTER TABLE users ADD CONSTRAINT users_tenant CHECK ((role = 'operator') = (tenant_id IS NULL));
ALTER TABLE tenants ENABLE ROW LEVEL SECURITY;
ALTER TABLE partnership_tenants ENABLE ROW LEVEL SECURITY;
ALTER TABLE organisation_profiles ENABLE ROW LEVEL SECURITY;
ALTER TABLE organisation_profiles ALTER COLUMN tenant_id SET DEFAULT samverkan_tenant();

-- Rows below a partnership name it, so that they are read with it.
ALTER TABLE disbursements ADD COLUMN partnership_id uuid REFERENCES partnerships (id);
ALTER TABLE indicator_targets ADD COLUMN partnership_id uuid REFERENCES partnerships (id);
ALTER TABLE measurements ADD COLUMN partnership_id uuid REFERENCES partnerships (id);
ALTER TABLE party_assessments ADD COLUMN partnership_id uuid REFERENCES partnerships (id);
ALTER TABLE documents ADD COLUMN partnership_id uuid REFERENCES partnerships (id);
ALTER TABLE document_blobs ADD COLUMN partnership_id uuid REFERENCES partnerships (id);
UPDATE disbursements d SET partnership_id = a.partnership_id FROM allocations a WHERE a.id = d.allocation_id;
UPDATE indicator_targets x SET partnership_id = i.partnership_id FROM indicators i WHERE i.id = x.indicator_id;
UPDATE measurements x SET partnership_id = i.partnership_id FROM indicators i WHERE i.id = x.indicator_id;
UPDATE party_assessments x SET partnership_id = e.partnership_id FROM evaluations e WHERE e.id = x.evaluation_id;
UPDATE documents SET partnership_id = owner_id WHERE owner_type = 'partnership';
UPDATE documents d SET partnership_id = e.partnership_id FROM evaluations e WHERE d.owner_type = 'evaluation' AND e.id = d.owner_id;
UPDATE document_blobs b SET partnership_id = d.partnership_id FROM documents d WHERE d.id = b.document_id;
ALTER TABLE disbursements ALTER COLUMN partnership_id SET NOT NULL;
ALTER TABLE indicator_targets ALTER COLUMN partnership_id SET NOT NULL;
ALTER TABLE measurements ALTER COLUMN partnership_id SET NOT NULL;
ALTER TABLE party_assessments ALTER COLUMN partnership_id SET NOT NULL;

-- Contributions and allocations recorded by a tenant the partnership is
-- shared with: that tenant's, to change; the partnership's, to read.
ALTER TABLE commitments ADD COLUMN recorded_by uuid REFERENCES tenants (id) DEFAULT samverkan_tenant();
ALTER TABLE allocations ADD COLUMN recorded_by uuid REFERENCES tenants (id) DEFAULT samverkan_tenant();
UPDATE commitments SET recorded_by = tenant_id;
UPDATE allocations SET recorded_by = tenant_id;

-- Partnerships shared with the current tenant, and those the current
-- reporter's organisation is a party to. SECURITY DEFINER: it reads the
-- links under the policies that call it.
-- +goose StatementBegin
CREATE FUNCTION samverkan_shared_partnerships() RETURNS uuid[] LANGUAGE sql STABLE SECURITY DEFINER
SET search_path = public AS $$
    SELECT coalesce(array_agg(DISTINCT id), '{}') FROM (
        SELECT partnership_id AS id FROM partnership_tenants WHERE tenant_id = samverkan_tenant()
        UNION ALL
        SELECT partnership_id FROM partnership_parties
        WHERE organisation_id = samverkan_organisation() AND archived_at IS NULL
    ) s
$$;

-- A row below a partnership takes the partnership's tenant, and, when it
-- hangs on another row, that row's partnership: TG_ARGV is the parent
-- table and the column naming it.
CREATE FUNCTION samverkan_inherit_tenant() RETURNS trigger LANGUAGE plpgsql SECURITY DEFINER
SET search_path = public AS $$
DECLARE
    parent_tenant uuid;
    parent_partnership uuid;
BEGIN
    IF TG_ARGV[0] = 'partnerships' THEN
        SELECT tenant_id INTO parent_tenant FROM partnerships WHERE id = NEW.partnership_id;
    ELSIF TG_TABLE_NAME = 'documents' THEN
        IF NEW.owner_type = 'partnership' THEN
            NEW.partnership_id := NEW.owner_id;
        ELSE
            SELECT partnership_id INTO NEW.partnership_id FROM evaluations WHERE id = NEW.owner_id;
        END IF;
        SELECT tenant_id INTO parent_tenant FROM partnerships WHERE id = NEW.partnership_id;
    ELSE
        EXECUTE format('SELECT tenant_id, partnership_id FROM %I WHERE id = $1', TG_ARGV[0])
            INTO parent_tenant, parent_partnership USING (to_jsonb(NEW) ->> TG_ARGV[1])::uuid;
        NEW.partnership_id := parent_partnership;
    END IF;
    IF parent_tenant IS NOT NULL THEN
        NEW.tenant_id := parent_tenant;
    END IF;
    RETURN NEW;
END
$$;
-- +goose StatementEnd
CREATE TRIGGER inherit_tenant BEFORE INSERT ON partnership_status_changes FOR EACH ROW EXECUTE FUNCTION samverkan_inherit_tenant('partnerships', 'partnership_id');
CREATE TRIGGER inherit_tenant BEFORE INSERT ON partnership_parties FOR EACH ROW EXECUTE FUNCTION samverkan_inherit_tenant('partnerships', 'partnership_id');
CREATE TRIGGER inherit_tenant BEFORE INSERT ON commitments FOR EACH ROW EXECUTE FUNCTION samverkan_inherit_tenant('partnerships', 'partnership_id');
CREATE TRIGGER inherit_tenant BEFORE INSERT ON allocations FOR EACH ROW EXECUTE FUNCTION samverkan_inherit_tenant('partnerships', 'partnership_id');
CREATE TRIGGER inherit_tenant BEFORE INSERT ON indicators FOR EACH ROW EXECUTE FUNCTION samverkan_inherit_tenant('partnerships', 'partnership_id');
CREATE TRIGGER inherit_tenant BEFORE INSERT ON follow_ups FOR EACH ROW EXECUTE FUNCTION samverkan_inherit_tenant('partnerships', 'partnership_id');
CREATE TRIGGER inherit_tenant BEFORE INSERT ON evaluations FOR EACH ROW EXECUTE FUNCTION samverkan_inherit_tenant('partnerships', 'partnership_id');
CREATE TRIGGER inherit_tenant BEFORE INSERT ON lessons FOR EACH ROW EXECUTE FUNCTION samverkan_inherit_tenant('partnerships', 'partnership_id');
CREATE TRIGGER inherit_tenant BEFORE INSERT ON documents FOR EACH ROW EXECUTE FUNCTION samverkan_inherit_tenant('documents', 'owner_id');
CREATE TRIGGER inherit_tenant BEFORE INSERT ON disbursements FOR EACH ROW EXECUTE FUNCTION samverkan_inherit_tenant('allocations', 'allocation_id');
CREATE TRIGGER inherit_tenant BEFORE INSERT ON indicator_targets FOR EACH ROW EXECUTE FUNCTION samverkan_inherit_tenant('indicators', 'indicator_id');
CREATE TRIGGER inherit_tenant BEFORE INSERT ON measurements FOR EACH ROW EXECUTE FUNCTION samverkan_inherit_tenant('indicators', 'indicator_id');
CREATE TRIGGER inherit_tenant BEFORE INSERT ON party_assessments FOR EACH ROW EXECUTE FUNCTION samverkan_inherit_tenant('evaluations', 'evaluation_id');
CREATE TRIGGER inherit_tenant BEFORE INSERT ON document_blobs FOR EACH ROW EXECUTE FUNCTION samverkan_inherit_tenant('documents', 'document_id');

-- The policies.
-- +goose StatementBegin
DO $$
DECLARE
    plain text[] := ARRAY[
        'districts', 'contacts', 'users', 'api_clients', 'refresh_tokens', 'funding_sources',
        'webhooks', 'webhook_deliveries', 'action_plans', 'action_plan_goal_areas',
        'action_plan_activities', 'action_plan_activity_history', 'meetings', 'meeting_participants',
        'meeting_actions', 'matching_rounds', 'matching_entries', 'matching_matches',
        'notifications', 'notification_preferences', 'organisation_profiles', 'audit_events'];
    below text[] := ARRAY[
        'partnership_status_changes', 'partnership_parties', 'commitments', 'allocations',
        'disbursements', 'indicators', 'indicator_targets', 'measurements', 'follow_ups',
        'evaluations', 'party_assessments', 'lessons', 'documents', 'document_blobs'];
    t text;
    mine text;
BEGIN
    FOREACH t IN ARRAY plain LOOP
        EXECUTE format('CREATE POLICY tenant ON %I USING ((tenant_id = (SELECT samverkan_tenant()) OR (SELECT samverkan_platform()))) WITH CHECK ((tenant_id = (SELECT samverkan_tenant()) OR (SELECT samverkan_platform())))', t);
    END LOOP;
    -- Below a partnership: read and added to by whoever reads the
    -- partnership; changed and removed by its owner, but for what the
    -- others recorded themselves: a participating tenant's contributions
    -- and allocations (recorded_by), and a reporter's measurements and
    -- assessments (their organisation's, which the service checks).
    FOREACH t IN ARRAY below LOOP
        EXECUTE format('CREATE POLICY tenant_read ON %I FOR SELECT USING ((tenant_id = (SELECT samverkan_tenant()) OR (SELECT samverkan_platform())) '
            'OR partnership_id = ANY ((SELECT samverkan_shared_partnerships())::uuid[]))', t);
        EXECUTE format('CREATE POLICY tenant_add ON %I FOR INSERT WITH CHECK ((tenant_id = (SELECT samverkan_tenant()) OR (SELECT samverkan_platform())) '
            'OR partnership_id = ANY ((SELECT samverkan_shared_partnerships())::uuid[]))', t);
        mine := '(tenant_id = (SELECT samverkan_tenant()) OR (SELECT samverkan_platform()))';
        IF t IN ('commitments', 'allocations') THEN
            mine := mine || ' OR recorded_by = (SELECT samverkan_tenant())';
        ELSIF t IN ('measurements', 'party_assessments') THEN
            mine := mine || ' OR (samverkan_organisation() IS NOT NULL AND partnership_id = ANY ((SELECT samverkan_shared_partnerships())::uuid[]))';
        ELSIF t = 'disbursements' THEN
            mine := mine || ' OR allocation_id IN (SELECT id FROM allocations WHERE recorded_by = (SELECT samverkan_tenant()))';
        END IF;
        EXECUTE format('CREATE POLICY tenant_change ON %I FOR UPDATE USING (%s) WITH CHECK (%s)', t, mine, mine);
        EXECUTE format('CREATE POLICY tenant_remove ON %I FOR DELETE USING (%s)', t, mine);
    END LOOP;
    FOREACH t IN ARRAY ARRAY['code_list_entries', 'indicator_definitions'] LOOP
        EXECUTE format('CREATE POLICY shared ON %I FOR SELECT USING (tenant_id IS NULL OR (tenant_id = (SELECT samverkan_tenant()) OR (SELECT samverkan_platform())))', t);
        EXECUTE format('CREATE POLICY own_insert ON %I FOR INSERT WITH CHECK ((tenant_id = (SELECT samverkan_tenant()) OR (SELECT samverkan_platform())) OR (tenant_id IS NULL AND samverkan_platform()))', t);
        EXECUTE format('CREATE POLICY own_update ON %I FOR UPDATE USING ((tenant_id = (SELECT samverkan_tenant()) OR (SELECT samverkan_platform())) OR (tenant_id IS NULL AND samverkan_platform())) '
            'WITH CHECK ((tenant_id = (SELECT samverkan_tenant()) OR (SELECT samverkan_platform())) OR (tenant_id IS NULL AND samverkan_platform()))', t);
    END LOOP;
END
$$;
-- +goose StatementEnd
-- Audit events of no tenant (platform work) are the platform's to read, and
-- anyone's to write (a failed sign-in knows no tenant yet).
DROP POLICY tenant ON audit_events;
CREATE POLICY read ON audit_events FOR SELECT USING ((tenant_id = (SELECT samverkan_tenant()) OR (SELECT samverkan_platform())));
CREATE POLICY write ON audit_events FOR INSERT WITH CHECK (tenant_id IS NULL OR (tenant_id = (SELECT samverkan_tenant()) OR (SELECT samverkan_platform())));

CREATE POLICY read ON partnerships FOR SELECT
    USING ((tenant_id = (SELECT samverkan_tenant()) OR (SELECT samverkan_platform())) OR id = ANY ((SELECT samverkan_shared_partnerships())::uuid[]));
CREATE POLICY own ON partnerships FOR ALL USING ((tenant_id = (SELECT samverkan_tenant()) OR (SELECT samverkan_platform()))) WITH CHECK ((tenant_id = (SELECT samverkan_tenant()) OR (SELECT samverkan_platform())));
-- A partnership's links are read by whoever reads the partnership: its
-- owner, the tenants it is shared with and a reporter whose organisation
-- is a party (who sees all its participants, as the owner does).
CREATE POLICY tenant ON partnership_tenants
    USING ((tenant_id = (SELECT samverkan_tenant()) OR (SELECT samverkan_platform())) OR (owner_tenant_id = (SELECT samverkan_tenant()) OR (SELECT samverkan_platform()))
        OR partnership_id = ANY ((SELECT samverkan_shared_partnerships())::uuid[]))
    WITH CHECK ((owner_tenant_id = (SELECT samverkan_tenant()) OR (SELECT samverkan_platform())));
-- Tenants are public bodies: anyone may read their names (a shared
-- partnership names its tenants, a grant its grantor); only the platform
-- creates them, and a tenant changes only its own.
CREATE POLICY read ON tenants FOR SELECT USING (true);
CREATE POLICY platform ON tenants FOR ALL USING (samverkan_platform()) WITH CHECK (samverkan_platform());
CREATE POLICY own_update ON tenants FOR UPDATE USING ((id = (SELECT samverkan_tenant()) OR (SELECT samverkan_platform()))) WITH CHECK ((id = (SELECT samverkan_tenant()) OR (SELECT samverkan_platform())));

-- Array containment and overlap may run before the policies, so that a
-- district's or a target group's GIN index is used under row-level
-- security (docs/performance.md, "Tenancy"). They compare elements with the
-- element type's equality, leakproof for the uuid and text arrays of
-- tenant-owned tables; their only error is for arrays of different element
-- types, decided by the types alone. Only a superuser may mark them: where
-- the migration runs as another role the indexes are not used under the
-- policies, and the lists are slower, not wrong.
-- +goose StatementBegin
DO $$
BEGIN
    ALTER FUNCTION pg_catalog.arraycontains(anyarray, anyarray) LEAKPROOF;
    ALTER FUNCTION pg_catalog.arrayoverlap(anyarray, anyarray) LEAKPROOF;
EXCEPTION WHEN insufficient_privilege THEN
    RAISE NOTICE 'not a superuser: array containment stays unleakproof (docs/performance.md)';
END
$$;
-- +goose StatementEnd

-- The chain of an entity's events is one stream whoever reads it.
ALTER FUNCTION audit_events_chain() SECURITY DEFINER SET search_path = public;

-- Unique per tenant where it was unique per installation.
ALTER TABLE indicator_definitions DROP CONSTRAINT indicator_definitions_code_key;
CREATE UNIQUE INDEX indicator_definitions_code ON indicator_definitions (coalesce(tenant_id, '00000000-0000-0000-0000-000000000000'), code);
ALTER TABLE code_list_entries DROP CONSTRAINT code_list_entries_pkey;
CREATE UNIQUE INDEX code_list_entries_code ON code_list_entries (list, coalesce(tenant_id, '00000000-0000-0000-0000-000000000000'), code);

-- Lists read one tenant's rows in their order.
CREATE INDEX partnerships_tenant_updated ON partnerships (tenant_id, updated_at, id);
CREATE INDEX partnerships_tenant_title ON partnerships (tenant_id, title, id);
CREATE INDEX partnerships_tenant_start ON partnerships (tenant_id, (coalesce(start_date, '0001-01-01'::date)), id);
CREATE INDEX partnerships_tenant_created ON partnerships (tenant_id, created_at, id);
CREATE INDEX allocations_tenant ON allocations (tenant_id, partnership_id);
CREATE INDEX audit_events_tenant_feed ON audit_events (tenant_id, xid, id);
CREATE INDEX users_tenant ON users (tenant_id);

-- +goose StatementBegin
DO $$
BEGIN
    IF EXISTS (SELECT FROM pg_roles WHERE rolname = 'samverkan_app') THEN
        GRANT SELECT, INSERT, UPDATE, DELETE ON tenants, partnership_tenants, organisation_profiles TO samverkan_app;
    END IF;
END
$$;
-- +goose StatementEnd

-- +goose Down
SET LOCAL statement_timeout = 0;
-- +goose StatementBegin
DO $$
BEGIN
    ALTER FUNCTION pg_catalog.arraycontains(anyarray, anyarray) NOT LEAKPROOF;
    ALTER FUNCTION pg_catalog.arrayoverlap(anyarray, anyarray) NOT LEAKPROOF;
EXCEPTION WHEN insufficient_privilege THEN
    NULL;
END
$$;
-- +goose StatementEnd
DROP INDEX users_tenant, audit_events_tenant_feed, allocations_tenant, partnerships_tenant_created,
    partnerships_tenant_start, partnerships_tenant_title, partnerships_tenant_updated;
DROP INDEX code_list_entries_code;
ALTER TABLE code_list_entries ADD PRIMARY KEY (list, code);
DROP INDEX indicator_definitions_code;
ALTER TABLE indicator_definitions ADD CONSTRAINT indicator_definitions_code_key UNIQUE (code);
ALTER FUNCTION audit_events_chain() SECURITY INVOKER;
ALTER FUNCTION audit_events_chain() RESET search_path;
-- +goose StatementBegin
DO $$
DECLARE
    t text;
    r record;
BEGIN
    FOR r IN SELECT schemaname, tablename, policyname FROM pg_policies WHERE schemaname = 'public' LOOP
        EXECUTE format('DROP POLICY %I ON %I', r.policyname, r.tablename);
    END LOOP;
    FOREACH t IN ARRAY ARRAY[
        'districts', 'contacts', 'users', 'api_clients', 'refresh_tokens', 'funding_sources',
        'partnerships', 'partnership_status_changes', 'partnership_parties', 'commitments',
        'allocations', 'disbursements', 'indicators', 'indicator_targets', 'measurements',
        'follow_ups', 'evaluations', 'party_assessments', 'lessons', 'documents', 'document_blobs',
        'webhooks', 'webhook_deliveries', 'action_plans', 'action_plan_goal_areas',
        'action_plan_activities', 'action_plan_activity_history', 'meetings', 'meeting_participants',
        'meeting_actions', 'matching_rounds', 'matching_entries', 'matching_matches',
        'notifications', 'notification_preferences', 'code_list_entries', 'indicator_definitions',
        'audit_events'] LOOP
        EXECUTE format('ALTER TABLE %I DISABLE ROW LEVEL SECURITY', t);
        EXECUTE format('DROP TRIGGER IF EXISTS inherit_tenant ON %I', t);
        EXECUTE format('ALTER TABLE %I DROP COLUMN tenant_id', t);
    END LOOP;
END
$$;
-- +goose StatementEnd
ALTER TABLE allocations DROP COLUMN recorded_by;
ALTER TABLE commitments DROP COLUMN recorded_by;
ALTER TABLE document_blobs DROP COLUMN partnership_id;
ALTER TABLE documents DROP COLUMN partnership_id;
ALTER TABLE party_assessments DROP COLUMN partnership_id;
ALTER TABLE measurements DROP COLUMN partnership_id;
ALTER TABLE indicator_targets DROP COLUMN partnership_id;
ALTER TABLE disbursements DROP COLUMN partnership_id;
DROP FUNCTION samverkan_inherit_tenant();
DROP FUNCTION samverkan_shared_partnerships();
DELETE FROM users WHERE role = 'operator';
ALTER TABLE users DROP CONSTRAINT users_role_check;
ALTER TABLE users ADD CONSTRAINT users_role_check
    CHECK (role IN ('admin', 'editor', 'district_editor', 'viewer', 'reporter'));
DROP TABLE organisation_profiles;
DROP TABLE partnership_tenants;
DROP TABLE tenants;
DROP FUNCTION samverkan_sees(uuid);
DROP FUNCTION samverkan_platform();
DROP FUNCTION samverkan_organisation();
DROP FUNCTION samverkan_tenant();
