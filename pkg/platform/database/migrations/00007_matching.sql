-- Matching (Idésluss): rounds of matching meetings where organisations bring
-- ideas, needs and resources, and the matches staff confirm between them.
-- A round's meetings are meetings; their participants are its attendance.

-- +goose Up
CREATE TABLE matching_rounds (
    id                        uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    title                     text NOT NULL CHECK (length(title) BETWEEN 1 AND 300),
    description               text NOT NULL DEFAULT '',
    municipality_code         char(4) NOT NULL REFERENCES municipalities (code),
    district_id               uuid REFERENCES districts (id),
    organiser_organisation_id uuid REFERENCES organisations (id),
    version                   integer NOT NULL DEFAULT 1,
    created_at                timestamptz NOT NULL DEFAULT now(),
    updated_at                timestamptz NOT NULL DEFAULT now(),
    archived_at               timestamptz
);

ALTER TABLE meetings
    ADD COLUMN matching_round_id uuid REFERENCES matching_rounds (id),
    -- Returning organisations as reported, for meetings whose participants
    -- are not all registered by name.
    ADD COLUMN returning_count integer CHECK (returning_count >= 0);
CREATE INDEX meetings_round ON meetings (matching_round_id) WHERE matching_round_id IS NOT NULL;

-- What a participant brings or seeks. The actor is a registered organisation,
-- or, for one not (yet) registered, a description such as "ett företag i
-- stadsdelen".
CREATE TABLE matching_entries (
    id              uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    round_id        uuid NOT NULL REFERENCES matching_rounds (id),
    organisation_id uuid REFERENCES organisations (id),
    actor           text NOT NULL DEFAULT '',
    kind            text NOT NULL CHECK (kind IN ('idea', 'need', 'resource')),
    category        text NOT NULL CHECK (length(category) BETWEEN 1 AND 100),
    description     text NOT NULL CHECK (length(description) BETWEEN 1 AND 2000),
    district_id     uuid REFERENCES districts (id),
    target_group    text NOT NULL DEFAULT '',
    created_at      timestamptz NOT NULL DEFAULT now(),
    archived_at     timestamptz,
    CHECK (organisation_id IS NOT NULL OR actor <> '')
);
CREATE INDEX matching_entries_round ON matching_entries (round_id);

-- A pair staff have decided on: what one seeks (idea or need) and what
-- another offers (resource). Proposals are computed, never stored.
CREATE TABLE matching_matches (
    id                uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    round_id          uuid NOT NULL REFERENCES matching_rounds (id),
    seeking_entry_id  uuid NOT NULL REFERENCES matching_entries (id),
    offering_entry_id uuid NOT NULL REFERENCES matching_entries (id),
    status            text NOT NULL CHECK (status IN ('confirmed', 'rejected')),
    reasons           text[] NOT NULL DEFAULT '{}',
    note              text NOT NULL DEFAULT '',
    partnership_id    uuid REFERENCES partnerships (id),
    decided_by        text NOT NULL,
    created_at        timestamptz NOT NULL DEFAULT now(),
    UNIQUE (seeking_entry_id, offering_entry_id)
);
CREATE INDEX matching_matches_round ON matching_matches (round_id);

-- +goose Down
DROP TABLE matching_matches;
DROP TABLE matching_entries;
ALTER TABLE meetings DROP COLUMN returning_count, DROP COLUMN matching_round_id;
DROP TABLE matching_rounds;
