-- Each running samverkan process says it is alive every few seconds, so that
-- the idempotency key of a request whose process died (killed, crashed) can
-- be taken over within seconds instead of minutes. Like the rate counts,
-- these rows are worth nothing after a crash of the database.

-- +goose Up
CREATE UNLOGGED TABLE service_instances (
    id         uuid PRIMARY KEY,
    started_at timestamptz NOT NULL DEFAULT now(),
    seen_at    timestamptz NOT NULL DEFAULT now()
);
ALTER TABLE idempotency_keys ADD COLUMN instance uuid;

-- +goose Down
ALTER TABLE idempotency_keys DROP COLUMN instance;
DROP TABLE service_instances;
