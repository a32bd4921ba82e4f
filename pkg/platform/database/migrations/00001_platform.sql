-- The platform: geography, organisations, users and API clients, tokens,
-- the audit trail and idempotency keys.

-- +goose Up
CREATE TABLE municipalities (
    code        char(4) PRIMARY KEY CHECK (code ~ '^[0-9]{4}$'),
    name        text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
    county_code char(2) NOT NULL CHECK (county_code ~ '^[0-9]{2}$'),
    version     integer NOT NULL DEFAULT 1,
    created_at  timestamptz NOT NULL DEFAULT now(),
    updated_at  timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE districts (
    id                uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    municipality_code char(4) NOT NULL REFERENCES municipalities (code),
    name              text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
    valid_from        date,
    valid_to          date,
    version           integer NOT NULL DEFAULT 1,
    created_at        timestamptz NOT NULL DEFAULT now(),
    updated_at        timestamptz NOT NULL DEFAULT now(),
    UNIQUE (municipality_code, name)
);

CREATE TABLE organisations (
    id                  uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    name                text NOT NULL CHECK (length(name) BETWEEN 1 AND 300),
    org_number          char(11) UNIQUE CHECK (org_number ~ '^[0-9]{6}-[0-9]{4}$'),
    sector              text NOT NULL,
    legal_form          text NOT NULL,
    parent_id           uuid REFERENCES organisations (id),
    municipality_code   char(4) REFERENCES municipalities (code),
    district_ids        uuid[] NOT NULL DEFAULT '{}',
    target_groups       text[] NOT NULL DEFAULT '{}',
    description         text NOT NULL DEFAULT '',
    website             text NOT NULL DEFAULT '',
    email               text NOT NULL DEFAULT '',
    phone               text NOT NULL DEFAULT '',
    registered_ideburen boolean NOT NULL DEFAULT false,
    search              tsvector GENERATED ALWAYS AS (
                            setweight(to_tsvector('swedish', name), 'A') ||
                            setweight(to_tsvector('swedish', description), 'B')) STORED,
    version             integer NOT NULL DEFAULT 1,
    created_at          timestamptz NOT NULL DEFAULT now(),
    updated_at          timestamptz NOT NULL DEFAULT now(),
    archived_at         timestamptz
);
CREATE INDEX organisations_search ON organisations USING gin (search);
CREATE INDEX organisations_districts ON organisations USING gin (district_ids);
CREATE INDEX organisations_target_groups ON organisations USING gin (target_groups);
CREATE INDEX organisations_name ON organisations (name, id);
CREATE INDEX organisations_updated ON organisations (updated_at, id);
CREATE INDEX organisations_municipality ON organisations (municipality_code);
CREATE INDEX organisations_parent ON organisations (parent_id);

-- Contact persons are personal data: minimal fields, erasable (GDPR).
CREATE TABLE contacts (
    id              uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    organisation_id uuid NOT NULL REFERENCES organisations (id),
    name            text NOT NULL DEFAULT '',
    title           text NOT NULL DEFAULT '',
    email           text NOT NULL DEFAULT '',
    phone           text NOT NULL DEFAULT '',
    erased_at       timestamptz,
    version         integer NOT NULL DEFAULT 1,
    created_at      timestamptz NOT NULL DEFAULT now(),
    updated_at      timestamptz NOT NULL DEFAULT now(),
    archived_at     timestamptz
);
CREATE INDEX contacts_organisation ON contacts (organisation_id, created_at, id);

CREATE TABLE users (
    id              uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    email           text NOT NULL CHECK (email = lower(email)),
    name            text NOT NULL,
    password_hash   text NOT NULL,
    role            text NOT NULL CHECK (role IN ('admin', 'editor', 'district_editor', 'viewer', 'reporter')),
    organisation_id uuid REFERENCES organisations (id),
    district_ids    uuid[] NOT NULL DEFAULT '{}',
    disabled        boolean NOT NULL DEFAULT false,
    version         integer NOT NULL DEFAULT 1,
    created_at      timestamptz NOT NULL DEFAULT now(),
    updated_at      timestamptz NOT NULL DEFAULT now(),
    CHECK (role <> 'reporter' OR organisation_id IS NOT NULL),
    CHECK (role <> 'district_editor' OR cardinality(district_ids) > 0)
);
CREATE UNIQUE INDEX users_email ON users (email);

CREATE TABLE api_clients (
    id           uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    name         text NOT NULL,
    secret_hash  text NOT NULL,
    scopes       text[] NOT NULL DEFAULT '{}',
    district_ids uuid[] NOT NULL DEFAULT '{}',
    disabled     boolean NOT NULL DEFAULT false,
    version      integer NOT NULL DEFAULT 1,
    created_at   timestamptz NOT NULL DEFAULT now(),
    updated_at   timestamptz NOT NULL DEFAULT now()
);

-- Refresh tokens are opaque; only their SHA-256 is kept. A family is one
-- sign-in and its rotations: presenting a used token revokes the family.
CREATE TABLE refresh_tokens (
    id         uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    family_id  uuid NOT NULL,
    token_hash bytea NOT NULL UNIQUE,
    user_id    uuid NOT NULL REFERENCES users (id),
    issued_at  timestamptz NOT NULL DEFAULT now(),
    expires_at timestamptz NOT NULL,
    used_at    timestamptz,
    revoked_at timestamptz
);
CREATE INDEX refresh_tokens_family ON refresh_tokens (family_id);

-- The audit trail: append-only, even for the application's own role.
CREATE TABLE audit_events (
    id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    occurred_at timestamptz NOT NULL DEFAULT now(),
    actor_type  text NOT NULL CHECK (actor_type IN ('user', 'api_client', 'system', 'anonymous')),
    actor_id    text NOT NULL DEFAULT '',
    action      text NOT NULL,
    entity_type text NOT NULL,
    entity_id   text NOT NULL DEFAULT '',
    before      jsonb,
    after       jsonb,
    request_id  text NOT NULL DEFAULT '',
    ip          text NOT NULL DEFAULT ''
);
CREATE INDEX audit_events_entity ON audit_events (entity_type, entity_id, occurred_at);
CREATE INDEX audit_events_actor ON audit_events (actor_id, occurred_at);
CREATE INDEX audit_events_occurred ON audit_events (occurred_at);
CREATE INDEX audit_events_failed_signins ON audit_events (entity_id, occurred_at) WHERE action = 'auth.sign_in_failed';
CREATE INDEX audit_events_failed_signins_ip ON audit_events (ip, occurred_at) WHERE action = 'auth.sign_in_failed';

-- +goose StatementBegin
CREATE FUNCTION audit_events_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'audit_events is append-only: % is not allowed', TG_OP
        USING ERRCODE = 'insufficient_privilege';
END
$$;
-- +goose StatementEnd
CREATE TRIGGER audit_events_no_change BEFORE UPDATE OR DELETE ON audit_events
    FOR EACH ROW EXECUTE FUNCTION audit_events_append_only();
CREATE TRIGGER audit_events_no_truncate BEFORE TRUNCATE ON audit_events
    FOR EACH STATEMENT EXECUTE FUNCTION audit_events_append_only();
REVOKE UPDATE, DELETE, TRUNCATE ON audit_events FROM PUBLIC;

-- Idempotency keys remember the first answer to a POST for 24 hours.
CREATE TABLE idempotency_keys (
    principal    text NOT NULL,
    key          text NOT NULL,
    request_hash bytea NOT NULL,
    status_code  integer,
    content_type text NOT NULL DEFAULT '',
    location     text NOT NULL DEFAULT '',
    etag         text NOT NULL DEFAULT '',
    body         bytea,
    created_at   timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (principal, key)
);
CREATE INDEX idempotency_keys_created ON idempotency_keys (created_at);

-- +goose Down
DROP TABLE idempotency_keys;
DROP TABLE audit_events;
DROP FUNCTION audit_events_append_only();
DROP TABLE refresh_tokens;
DROP TABLE api_clients;
DROP TABLE users;
DROP TABLE contacts;
DROP TABLE organisations;
DROP TABLE districts;
DROP TABLE municipalities;
