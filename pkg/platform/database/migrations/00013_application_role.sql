-- The role the service runs as: it reads and writes the tables, but may not
-- change or remove audit events, alter tables or switch their triggers off
-- (it owns nothing). Migrations run as the owner of the tables; the service
-- logs in as a member of samverkan_app (docs/security.md). Where this
-- migration may not create roles (some managed servers), it says so and
-- leaves the grants to the administrator.

-- +goose Up
-- +goose StatementBegin
DO $$
BEGIN
    IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'samverkan_app') THEN
        CREATE ROLE samverkan_app NOLOGIN;
    END IF;
EXCEPTION WHEN insufficient_privilege THEN
    RAISE NOTICE 'no privilege to create the role samverkan_app: create it and grant it as docs/security.md shows';
END
$$;
-- +goose StatementEnd

-- +goose StatementBegin
DO $$
BEGIN
    IF EXISTS (SELECT FROM pg_roles WHERE rolname = 'samverkan_app') THEN
        EXECUTE format('GRANT CONNECT, TEMPORARY ON DATABASE %I TO samverkan_app', current_database());
        GRANT USAGE ON SCHEMA public TO samverkan_app;
        GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO samverkan_app;
        GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO samverkan_app;
        REVOKE UPDATE, DELETE, TRUNCATE ON audit_events FROM samverkan_app;
        REVOKE INSERT, UPDATE, DELETE ON goose_db_version FROM samverkan_app;
        -- Tables of later migrations: the same, by default.
        ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO samverkan_app;
        ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT USAGE, SELECT ON SEQUENCES TO samverkan_app;
    END IF;
END
$$;
-- +goose StatementEnd

-- +goose Down
-- +goose StatementBegin
DO $$
BEGIN
    IF EXISTS (SELECT FROM pg_roles WHERE rolname = 'samverkan_app') THEN
        ALTER DEFAULT PRIVILEGES IN SCHEMA public REVOKE SELECT, INSERT, UPDATE, DELETE ON TABLES FROM samverkan_app;
        ALTER DEFAULT PRIVILEGES IN SCHEMA public REVOKE USAGE, SELECT ON SEQUENCES FROM samverkan_app;
        REVOKE ALL ON ALL TABLES IN SCHEMA public FROM samverkan_app;
        REVOKE ALL ON ALL SEQUENCES IN SCHEMA public FROM samverkan_app;
        REVOKE USAGE ON SCHEMA public FROM samverkan_app;
        EXECUTE format('REVOKE ALL ON DATABASE %I FROM samverkan_app', current_database());
    END IF;
END
$$;
-- +goose StatementEnd
