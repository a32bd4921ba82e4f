-- The domain: code lists, partnerships with parties and commitments, funding
-- with the rules that govern it, evaluation, and documents.

-- +goose Up
ALTER TABLE municipalities ADD COLUMN abbreviation text CHECK (abbreviation ~ '^[A-Z]{2,5}$');

-- Admin-extended code lists: target groups and policy goals (a goal belongs
-- to a goal set, e.g. agenda2030 or jamlikt_goteborg, and optionally to a
-- municipality).
CREATE TABLE code_list_entries (
    list              text NOT NULL CHECK (list IN ('target_groups', 'policy_goals')),
    code              text NOT NULL CHECK (code ~ '^[a-z0-9_]{1,64}$'),
    label_sv          text NOT NULL,
    label_en          text NOT NULL,
    goal_set          text NOT NULL DEFAULT '',
    municipality_code char(4) REFERENCES municipalities (code),
    sort_order        integer NOT NULL DEFAULT 0,
    version           integer NOT NULL DEFAULT 1,
    created_at        timestamptz NOT NULL DEFAULT now(),
    updated_at        timestamptz NOT NULL DEFAULT now(),
    archived_at       timestamptz,
    PRIMARY KEY (list, code)
);

CREATE TABLE partnerships (
    id                    uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    reference             text NOT NULL UNIQUE,
    diarienummer          text NOT NULL DEFAULT '',
    title                 text NOT NULL CHECK (length(title) BETWEEN 1 AND 300),
    purpose               text NOT NULL DEFAULT '',
    form                  text NOT NULL,
    status                text NOT NULL,
    start_date            date,
    end_date              date CHECK (end_date IS NULL OR start_date IS NULL OR end_date >= start_date),
    owner_organisation_id uuid REFERENCES organisations (id),
    municipality_code     char(4) NOT NULL REFERENCES municipalities (code),
    district_ids          uuid[] NOT NULL DEFAULT '{}',
    target_groups         text[] NOT NULL DEFAULT '{}',
    policy_goals          text[] NOT NULL DEFAULT '{}',
    participation_level   text,
    decision_step         text,
    principles            jsonb NOT NULL DEFAULT '{}',
    public                boolean NOT NULL DEFAULT false,
    predecessor_id        uuid REFERENCES partnerships (id),
    total_budget_ore      bigint CHECK (total_budget_ore >= 0),
    budget_currency       char(3) NOT NULL DEFAULT 'SEK' CHECK (budget_currency IN ('SEK', 'EUR')),
    search                tsvector GENERATED ALWAYS AS (
                              setweight(to_tsvector('swedish', title), 'A') ||
                              setweight(to_tsvector('swedish', reference || ' ' || diarienummer), 'A') ||
                              setweight(to_tsvector('swedish', purpose), 'B')) STORED,
    version               integer NOT NULL DEFAULT 1,
    created_at            timestamptz NOT NULL DEFAULT now(),
    updated_at            timestamptz NOT NULL DEFAULT now(),
    archived_at           timestamptz
);
CREATE INDEX partnerships_search ON partnerships USING gin (search);
CREATE INDEX partnerships_districts ON partnerships USING gin (district_ids);
CREATE INDEX partnerships_target_groups ON partnerships USING gin (target_groups);
CREATE INDEX partnerships_policy_goals ON partnerships USING gin (policy_goals);
CREATE INDEX partnerships_start ON partnerships (start_date, id);
CREATE INDEX partnerships_title ON partnerships (title, id);
CREATE INDEX partnerships_updated ON partnerships (updated_at, id);
CREATE INDEX partnerships_municipality_status ON partnerships (municipality_code, status);
CREATE INDEX partnerships_predecessor ON partnerships (predecessor_id);

-- Reference codes run per municipality, form and year: GBG-IOP-2016-004.
CREATE TABLE reference_counters (
    municipality_code char(4) NOT NULL,
    form              text NOT NULL,
    year              integer NOT NULL,
    last              integer NOT NULL,
    PRIMARY KEY (municipality_code, form, year)
);

CREATE TABLE partnership_status_changes (
    id             bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    partnership_id uuid NOT NULL REFERENCES partnerships (id),
    from_status    text,
    to_status      text NOT NULL,
    reason         text NOT NULL DEFAULT '',
    changed_on     date NOT NULL DEFAULT current_date,
    changed_at     timestamptz NOT NULL DEFAULT now(),
    actor_type     text NOT NULL,
    actor_id       text NOT NULL
);
CREATE INDEX partnership_status_changes_partnership ON partnership_status_changes (partnership_id, id);

CREATE TABLE partnership_parties (
    id              uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    partnership_id  uuid NOT NULL REFERENCES partnerships (id),
    organisation_id uuid NOT NULL REFERENCES organisations (id),
    role            text NOT NULL,
    joined_on       date,
    left_on         date CHECK (left_on IS NULL OR joined_on IS NULL OR left_on >= joined_on),
    note            text NOT NULL DEFAULT '',
    version         integer NOT NULL DEFAULT 1,
    created_at      timestamptz NOT NULL DEFAULT now(),
    updated_at      timestamptz NOT NULL DEFAULT now(),
    archived_at     timestamptz
);
CREATE INDEX partnership_parties_partnership ON partnership_parties (partnership_id);
CREATE INDEX partnership_parties_organisation ON partnership_parties (organisation_id, partnership_id) WHERE archived_at IS NULL;

-- The contribution ledger: what each party commits, and what it delivered.
CREATE TABLE commitments (
    id             uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    partnership_id uuid NOT NULL REFERENCES partnerships (id),
    party_id       uuid NOT NULL REFERENCES partnership_parties (id),
    direction      text NOT NULL CHECK (direction IN ('committed', 'delivered')),
    kind           text NOT NULL,
    description    text NOT NULL DEFAULT '',
    quantity       numeric(14, 2),
    unit           text NOT NULL DEFAULT '',
    period_start   date,
    period_end     date CHECK (period_end IS NULL OR period_start IS NULL OR period_end >= period_start),
    district_id    uuid REFERENCES districts (id),
    valuation_ore  bigint CHECK (valuation_ore >= 0),
    currency       char(3) NOT NULL DEFAULT 'SEK' CHECK (currency IN ('SEK', 'EUR')),
    version        integer NOT NULL DEFAULT 1,
    created_at     timestamptz NOT NULL DEFAULT now(),
    updated_at     timestamptz NOT NULL DEFAULT now(),
    archived_at    timestamptz
);
CREATE INDEX commitments_partnership ON commitments (partnership_id);

-- Funding.
CREATE TABLE funding_sources (
    id                       uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    name                     text NOT NULL,
    kind                     text NOT NULL,
    provider_organisation_id uuid REFERENCES organisations (id),
    programme                text NOT NULL DEFAULT '',
    valid_from               date,
    valid_to                 date,
    version                  integer NOT NULL DEFAULT 1,
    created_at               timestamptz NOT NULL DEFAULT now(),
    updated_at               timestamptz NOT NULL DEFAULT now(),
    archived_at              timestamptz
);

CREATE TABLE allocations (
    id                        uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    source_id                 uuid NOT NULL REFERENCES funding_sources (id),
    partnership_id            uuid NOT NULL REFERENCES partnerships (id),
    recipient_organisation_id uuid NOT NULL REFERENCES organisations (id),
    applied_ore               bigint CHECK (applied_ore >= 0),
    granted_ore               bigint CHECK (granted_ore >= 0),
    currency                  char(3) NOT NULL DEFAULT 'SEK' CHECK (currency IN ('SEK', 'EUR')),
    fiscal_year               integer NOT NULL CHECK (fiscal_year BETWEEN 1990 AND 2100),
    decision_date             date,
    decision_reference        text NOT NULL DEFAULT '',
    status                    text NOT NULL,
    state_aid                 text NOT NULL DEFAULT 'sgei_de_minimis',
    period_start              date,
    period_end                date,
    version                   integer NOT NULL DEFAULT 1,
    created_at                timestamptz NOT NULL DEFAULT now(),
    updated_at                timestamptz NOT NULL DEFAULT now(),
    archived_at               timestamptz,
    CHECK (status <> 'granted' OR granted_ore IS NOT NULL)
);
CREATE INDEX allocations_partnership ON allocations (partnership_id);
CREATE INDEX allocations_recipient ON allocations (recipient_organisation_id, decision_date);
CREATE INDEX allocations_source ON allocations (source_id, fiscal_year);

CREATE TABLE disbursements (
    id            uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    allocation_id uuid NOT NULL REFERENCES allocations (id),
    amount_ore    bigint NOT NULL CHECK (amount_ore > 0),
    planned_on    date,
    paid_on       date,
    note          text NOT NULL DEFAULT '',
    version       integer NOT NULL DEFAULT 1,
    created_at    timestamptz NOT NULL DEFAULT now(),
    updated_at    timestamptz NOT NULL DEFAULT now(),
    archived_at   timestamptz
);
CREATE INDEX disbursements_allocation ON disbursements (allocation_id);

-- Yearly exchange rates: how many SEK one unit of the currency was worth.
CREATE TABLE exchange_rates (
    year        integer NOT NULL CHECK (year BETWEEN 1990 AND 2100),
    currency    char(3) NOT NULL CHECK (currency = 'EUR'),
    sek_per_unit numeric(12, 6) NOT NULL CHECK (sek_per_unit > 0),
    source      text NOT NULL DEFAULT '',
    version     integer NOT NULL DEFAULT 1,
    created_at  timestamptz NOT NULL DEFAULT now(),
    updated_at  timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (year, currency)
);

-- Rules with effective dates: ceilings and thresholds are data, not code.
CREATE TABLE rules (
    id             uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    code           text NOT NULL,
    name           text NOT NULL,
    amount_cents   bigint NOT NULL CHECK (amount_cents > 0),
    currency       char(3) NOT NULL DEFAULT 'EUR',
    window_years   integer NOT NULL DEFAULT 3 CHECK (window_years BETWEEN 1 AND 10),
    window_kind    text NOT NULL DEFAULT 'rolling' CHECK (window_kind IN ('rolling', 'fiscal_years', 'none')),
    warn_at_percent integer NOT NULL DEFAULT 80 CHECK (warn_at_percent BETWEEN 1 AND 100),
    block          boolean NOT NULL DEFAULT false,
    legal_basis    text NOT NULL DEFAULT '',
    effective_from date NOT NULL,
    effective_to   date,
    version        integer NOT NULL DEFAULT 1,
    created_at     timestamptz NOT NULL DEFAULT now(),
    updated_at     timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX rules_code ON rules (code, effective_from);

INSERT INTO rules (code, name, amount_cents, window_years, window_kind, legal_basis, effective_from, effective_to) VALUES
 ('sgei_de_minimis', 'SGEI de minimis', 50000000, 3, 'fiscal_years', 'Regulation (EU) 360/2012', '2012-04-29', '2023-12-31'),
 ('sgei_de_minimis', 'SGEI de minimis', 75000000, 3, 'rolling', 'Regulation (EU) 2023/2832', '2024-01-01', NULL),
 ('general_de_minimis', 'General de minimis', 20000000, 3, 'fiscal_years', 'Regulation (EU) 1407/2013', '2014-01-01', '2023-12-31'),
 ('general_de_minimis', 'General de minimis', 30000000, 3, 'rolling', 'Regulation (EU) 2023/2831', '2024-01-01', NULL),
 ('procurement_threshold_social', 'EU threshold, social and other specific services', 75000000, 1, 'none', 'Directive 2014/24/EU art. 4(d); SEK 8,109,450 for 2024–2025', '2014-04-17', NULL);

-- Evaluation.
CREATE TABLE indicator_definitions (
    id           uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    code         text NOT NULL UNIQUE CHECK (code ~ '^[a-z0-9_]{1,64}$'),
    name_sv      text NOT NULL,
    name_en      text NOT NULL,
    unit         text NOT NULL,
    result_level text NOT NULL,
    direction    text NOT NULL DEFAULT 'increase',
    vocabulary   text NOT NULL DEFAULT '',
    external_code text NOT NULL DEFAULT '',
    version      integer NOT NULL DEFAULT 1,
    created_at   timestamptz NOT NULL DEFAULT now(),
    updated_at   timestamptz NOT NULL DEFAULT now(),
    archived_at  timestamptz
);

CREATE TABLE indicators (
    id             uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    partnership_id uuid NOT NULL REFERENCES partnerships (id),
    definition_id  uuid REFERENCES indicator_definitions (id),
    name           text NOT NULL,
    unit           text NOT NULL,
    result_level   text NOT NULL,
    direction      text NOT NULL DEFAULT 'increase',
    aggregation    text NOT NULL DEFAULT 'sum',
    baseline       numeric(14, 2),
    district_id    uuid REFERENCES districts (id),
    target_group   text NOT NULL DEFAULT '',
    version        integer NOT NULL DEFAULT 1,
    created_at     timestamptz NOT NULL DEFAULT now(),
    updated_at     timestamptz NOT NULL DEFAULT now(),
    archived_at    timestamptz
);
CREATE INDEX indicators_partnership ON indicators (partnership_id);

CREATE TABLE indicator_targets (
    id           uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    indicator_id uuid NOT NULL REFERENCES indicators (id),
    period_start date NOT NULL,
    period_end   date NOT NULL CHECK (period_end >= period_start),
    target       numeric(14, 2) NOT NULL
);
CREATE INDEX indicator_targets_indicator ON indicator_targets (indicator_id);

CREATE TABLE measurements (
    id           uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    indicator_id uuid NOT NULL REFERENCES indicators (id),
    period_start date NOT NULL,
    period_end   date NOT NULL CHECK (period_end >= period_start),
    value        numeric(14, 2) NOT NULL,
    note         text NOT NULL DEFAULT '',
    status       text NOT NULL DEFAULT 'submitted' CHECK (status IN ('submitted', 'approved', 'rejected')),
    reason       text NOT NULL DEFAULT '',
    submitted_by text NOT NULL,
    reviewed_by  text NOT NULL DEFAULT '',
    reviewed_at  timestamptz,
    version      integer NOT NULL DEFAULT 1,
    created_at   timestamptz NOT NULL DEFAULT now(),
    updated_at   timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX measurements_indicator ON measurements (indicator_id, period_start);
CREATE INDEX measurements_queue ON measurements (status, created_at) WHERE status = 'submitted';

CREATE TABLE follow_ups (
    id             uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    partnership_id uuid NOT NULL REFERENCES partnerships (id),
    due_on         date NOT NULL,
    description    text NOT NULL,
    done_on        date,
    version        integer NOT NULL DEFAULT 1,
    created_at     timestamptz NOT NULL DEFAULT now(),
    updated_at     timestamptz NOT NULL DEFAULT now(),
    archived_at    timestamptz
);
CREATE INDEX follow_ups_due ON follow_ups (due_on) WHERE done_on IS NULL AND archived_at IS NULL;

CREATE TABLE evaluations (
    id                        uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    partnership_id            uuid NOT NULL REFERENCES partnerships (id),
    kind                      text NOT NULL,
    evaluator                 text NOT NULL DEFAULT '',
    evaluator_organisation_id uuid REFERENCES organisations (id),
    evaluated_on              date,
    summary                   text NOT NULL DEFAULT '',
    findings                  text NOT NULL DEFAULT '',
    recommendations           text NOT NULL DEFAULT '',
    principles                jsonb NOT NULL DEFAULT '{}',
    version                   integer NOT NULL DEFAULT 1,
    created_at                timestamptz NOT NULL DEFAULT now(),
    updated_at                timestamptz NOT NULL DEFAULT now(),
    archived_at               timestamptz
);
CREATE INDEX evaluations_partnership ON evaluations (partnership_id);

CREATE TABLE party_assessments (
    id              uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    evaluation_id   uuid NOT NULL REFERENCES evaluations (id),
    organisation_id uuid NOT NULL REFERENCES organisations (id),
    rating          integer CHECK (rating BETWEEN 1 AND 5),
    text            text NOT NULL DEFAULT '',
    dissent         boolean NOT NULL DEFAULT false,
    submitted_by    text NOT NULL,
    version         integer NOT NULL DEFAULT 1,
    created_at      timestamptz NOT NULL DEFAULT now(),
    updated_at      timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX party_assessments_evaluation ON party_assessments (evaluation_id);

CREATE TABLE lessons (
    id             uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    partnership_id uuid NOT NULL REFERENCES partnerships (id),
    evaluation_id  uuid REFERENCES evaluations (id),
    category       text NOT NULL,
    factors        text[] NOT NULL DEFAULT '{}',
    text           text NOT NULL,
    search         tsvector GENERATED ALWAYS AS (to_tsvector('swedish', text)) STORED,
    version        integer NOT NULL DEFAULT 1,
    created_at     timestamptz NOT NULL DEFAULT now(),
    updated_at     timestamptz NOT NULL DEFAULT now(),
    archived_at    timestamptz
);
CREATE INDEX lessons_search ON lessons USING gin (search);
CREATE INDEX lessons_factors ON lessons USING gin (factors);

-- Documents: agreements and reports, kept in PostgreSQL behind a storage interface.
CREATE TABLE documents (
    id           uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    owner_type   text NOT NULL CHECK (owner_type IN ('partnership', 'evaluation')),
    owner_id     uuid NOT NULL,
    filename     text NOT NULL,
    title        text NOT NULL DEFAULT '',
    content_type text NOT NULL,
    size_bytes   bigint NOT NULL,
    sha256       bytea NOT NULL,
    created_by   text NOT NULL,
    created_at   timestamptz NOT NULL DEFAULT now(),
    archived_at  timestamptz
);
CREATE INDEX documents_owner ON documents (owner_type, owner_id);

CREATE TABLE document_blobs (
    document_id uuid PRIMARY KEY REFERENCES documents (id),
    data        bytea NOT NULL
);

-- +goose Down
DROP TABLE document_blobs;
DROP TABLE documents;
DROP TABLE lessons;
DROP TABLE party_assessments;
DROP TABLE evaluations;
DROP TABLE follow_ups;
DROP TABLE measurements;
DROP TABLE indicator_targets;
DROP TABLE indicators;
DROP TABLE indicator_definitions;
DROP TABLE rules;
DROP TABLE exchange_rates;
DROP TABLE disbursements;
DROP TABLE allocations;
DROP TABLE funding_sources;
DROP TABLE commitments;
DROP TABLE partnership_parties;
DROP TABLE partnership_status_changes;
DROP TABLE reference_counters;
DROP TABLE partnerships;
DROP TABLE code_list_entries;
ALTER TABLE municipalities DROP COLUMN abbreviation;
