-- Reminders: due follow-ups, measurements waiting for approval, partnerships
-- ending soon and overdue action-plan activities, listed per user and sent by
-- e-mail in the background. One notification per user and event, ever.

-- +goose Up
CREATE TABLE notifications (
    id              uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    user_id         uuid NOT NULL REFERENCES users (id),
    kind            text NOT NULL,
    event_key       text NOT NULL,
    subject         text NOT NULL,
    body            text NOT NULL,
    link            text NOT NULL DEFAULT '',
    created_at      timestamptz NOT NULL DEFAULT now(),
    read_at         timestamptz,
    email_status    text NOT NULL DEFAULT 'pending' CHECK (email_status IN ('pending', 'sent', 'logged', 'failed')),
    attempts        integer NOT NULL DEFAULT 0,
    next_attempt_at timestamptz NOT NULL DEFAULT now(),
    last_error      text NOT NULL DEFAULT '',
    sent_at         timestamptz,
    UNIQUE (user_id, event_key)
);
CREATE INDEX notifications_user ON notifications (user_id, created_at DESC);
CREATE INDEX notifications_outbox ON notifications (next_attempt_at) WHERE email_status = 'pending';

-- The reminders a user has turned off (everything is on until turned off).
CREATE TABLE notification_preferences (
    user_id uuid NOT NULL REFERENCES users (id),
    kind    text NOT NULL,
    enabled boolean NOT NULL,
    PRIMARY KEY (user_id, kind)
);

-- +goose Down
DROP TABLE notification_preferences;
DROP TABLE notifications;
