-- Rate limits: requests a minute per caller, counted by every replica into
-- one shared table (pkg/platform/ratelimit). The counts are worth nothing
-- after a crash, so the table is unlogged. An API client may have a limit
-- of its own instead of the configured default.

-- +goose Up
CREATE UNLOGGED TABLE rate_counts (
    key          text NOT NULL,
    window_start timestamptz NOT NULL,
    count        integer NOT NULL,
    PRIMARY KEY (key, window_start)
);
ALTER TABLE api_clients ADD COLUMN rate_limit_per_minute integer CHECK (rate_limit_per_minute > 0);

-- +goose Down
ALTER TABLE api_clients DROP COLUMN rate_limit_per_minute;
DROP TABLE rate_counts;
