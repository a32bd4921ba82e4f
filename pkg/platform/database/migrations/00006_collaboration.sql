-- Collaboration beyond agreements: action plans with goal areas and
-- activities (their status history gives a plan's state on any past date),
-- and dialogue meetings with their participants and follow-up actions.

-- +goose Up
CREATE TABLE action_plans (
    id                    uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    title                 text NOT NULL CHECK (length(title) BETWEEN 1 AND 300),
    description           text NOT NULL DEFAULT '',
    municipality_code     char(4) NOT NULL REFERENCES municipalities (code),
    district_id           uuid REFERENCES districts (id),
    owner_organisation_id uuid REFERENCES organisations (id),
    period_start          date,
    period_end            date CHECK (period_end IS NULL OR period_start IS NULL OR period_end >= period_start),
    version               integer NOT NULL DEFAULT 1,
    created_at            timestamptz NOT NULL DEFAULT now(),
    updated_at            timestamptz NOT NULL DEFAULT now(),
    archived_at           timestamptz
);

CREATE TABLE action_plan_goal_areas (
    id         uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    plan_id    uuid NOT NULL REFERENCES action_plans (id),
    title      text NOT NULL,
    sort_order integer NOT NULL DEFAULT 0,
    created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX action_plan_goal_areas_plan ON action_plan_goal_areas (plan_id);

CREATE TABLE meetings (
    id                        uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    kind                      text NOT NULL,
    title                     text NOT NULL CHECK (length(title) BETWEEN 1 AND 300),
    held_on                   date NOT NULL,
    place                     text NOT NULL DEFAULT '',
    municipality_code         char(4) NOT NULL REFERENCES municipalities (code),
    district_id               uuid REFERENCES districts (id),
    organiser_organisation_id uuid REFERENCES organisations (id),
    participation_level       text,
    topics                    text[] NOT NULL DEFAULT '{}',
    headcount                 integer CHECK (headcount >= 0),
    organisations_count       integer CHECK (organisations_count >= 0),
    outcomes                  text NOT NULL DEFAULT '',
    proposals                 text NOT NULL DEFAULT '',
    version                   integer NOT NULL DEFAULT 1,
    created_at                timestamptz NOT NULL DEFAULT now(),
    updated_at                timestamptz NOT NULL DEFAULT now(),
    archived_at               timestamptz
);
CREATE INDEX meetings_held ON meetings (held_on, id);

CREATE TABLE meeting_participants (
    meeting_id      uuid NOT NULL REFERENCES meetings (id),
    organisation_id uuid NOT NULL REFERENCES organisations (id),
    PRIMARY KEY (meeting_id, organisation_id)
);

CREATE TABLE action_plan_activities (
    id                    uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    plan_id               uuid NOT NULL REFERENCES action_plans (id),
    goal_area_id          uuid REFERENCES action_plan_goal_areas (id),
    title                 text NOT NULL CHECK (length(title) BETWEEN 1 AND 500),
    owner                 text NOT NULL DEFAULT '',
    owner_organisation_id uuid REFERENCES organisations (id),
    due_date              date,
    status                text NOT NULL DEFAULT 'planned' CHECK (status IN ('planned', 'in_progress', 'done', 'dropped')),
    progress_note         text NOT NULL DEFAULT '',
    partnership_ids       uuid[] NOT NULL DEFAULT '{}',
    meeting_ids           uuid[] NOT NULL DEFAULT '{}',
    version               integer NOT NULL DEFAULT 1,
    created_at            timestamptz NOT NULL DEFAULT now(),
    updated_at            timestamptz NOT NULL DEFAULT now(),
    archived_at           timestamptz
);
CREATE INDEX action_plan_activities_plan ON action_plan_activities (plan_id);

-- Every status an activity has had, from when: the plan as it stood on a day.
CREATE TABLE action_plan_activity_history (
    id            bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    activity_id   uuid NOT NULL REFERENCES action_plan_activities (id),
    status        text NOT NULL,
    progress_note text NOT NULL DEFAULT '',
    valid_from    date NOT NULL,
    recorded_at   timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX action_plan_activity_history_activity ON action_plan_activity_history (activity_id, valid_from, id);

CREATE TABLE meeting_actions (
    id             uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    meeting_id     uuid NOT NULL REFERENCES meetings (id),
    description    text NOT NULL,
    activity_id    uuid REFERENCES action_plan_activities (id),
    partnership_id uuid REFERENCES partnerships (id),
    status         text NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'done')),
    version        integer NOT NULL DEFAULT 1,
    created_at     timestamptz NOT NULL DEFAULT now(),
    updated_at     timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX meeting_actions_meeting ON meeting_actions (meeting_id);

-- +goose Down
DROP TABLE meeting_actions;
DROP TABLE action_plan_activity_history;
DROP TABLE action_plan_activities;
DROP TABLE meeting_participants;
DROP TABLE meetings;
DROP TABLE action_plan_goal_areas;
DROP TABLE action_plans;
