-- 0001_init: the first schema of the local cache.
--
-- Conventions: timestamps are INTEGER unix milliseconds (UTC), NULL when unknown; calendar dates
-- (birth_date) are TEXT YYYY-MM-DD, NULL when unknown; empty text means "not entered". Every *_fold column holds
-- app.Fold of its source column and is what search and duplicate checks compare.

CREATE TABLE patients (
    id             INTEGER PRIMARY KEY,
    mrn            TEXT    NOT NULL DEFAULT '',
    mrn_fold       TEXT    NOT NULL DEFAULT '',
    family         TEXT    NOT NULL,
    given          TEXT    NOT NULL DEFAULT '',
    family_fold    TEXT    NOT NULL,
    given_fold     TEXT    NOT NULL DEFAULT '',
    birth_date     TEXT    CHECK (birth_date IS NULL OR birth_date GLOB '[0-9][0-9][0-9][0-9]-[0-1][0-9]-[0-3][0-9]'),
    sex            TEXT    NOT NULL DEFAULT '' CHECK (sex IN ('', 'female', 'male', 'other', 'unknown')),
    address_line   TEXT    NOT NULL DEFAULT '',
    city           TEXT    NOT NULL DEFAULT '',
    state          TEXT    NOT NULL DEFAULT '',
    postal_code    TEXT    NOT NULL DEFAULT '',
    phone          TEXT    NOT NULL DEFAULT '',
    insurance_type TEXT    NOT NULL DEFAULT '',
    server_id      TEXT    NOT NULL DEFAULT '',
    last_action_at INTEGER NOT NULL,
    created_at     INTEGER NOT NULL
);
-- Name search: range scan on the family prefix, filter on given, rows come out already sorted.
CREATE INDEX patients_name ON patients (family_fold, given_fold, birth_date);
CREATE INDEX patients_birth_date ON patients (birth_date, family_fold, given_fold);
-- Given-name-only search (", Mary"): without it a miss scans the whole name index.
CREATE INDEX patients_given ON patients (given_fold, family_fold);
CREATE INDEX patients_mrn ON patients (mrn_fold) WHERE mrn_fold <> '';
CREATE INDEX patients_last_action ON patients (last_action_at);
CREATE UNIQUE INDEX patients_server_id ON patients (server_id) WHERE server_id <> '';

CREATE TABLE providers (
    id          INTEGER PRIMARY KEY,
    family      TEXT    NOT NULL,
    given       TEXT    NOT NULL DEFAULT '',
    credentials TEXT    NOT NULL DEFAULT '',
    npi         TEXT    NOT NULL DEFAULT '',
    active      INTEGER NOT NULL DEFAULT 1 CHECK (active IN (0, 1)),
    created_at  INTEGER NOT NULL,
    updated_at  INTEGER NOT NULL
);
CREATE UNIQUE INDEX providers_npi ON providers (npi) WHERE npi <> '';

CREATE TABLE orders (
    id                  INTEGER PRIMARY KEY,
    uuid                TEXT    NOT NULL UNIQUE,
    patient_id          INTEGER NOT NULL REFERENCES patients (id),
    provider_id         INTEGER REFERENCES providers (id), -- NULL until chosen
    department          TEXT    NOT NULL DEFAULT '',
    priority            TEXT    NOT NULL DEFAULT '' CHECK (priority IN ('', 'routine', 'urgent')),
    reason              TEXT    NOT NULL DEFAULT '',
    location            TEXT    NOT NULL DEFAULT '',
    upload_images       TEXT    NOT NULL DEFAULT '' CHECK (upload_images IN ('', 'yes', 'no')),
    upload_records      TEXT    NOT NULL DEFAULT '' CHECK (upload_records IN ('', 'yes', 'no')),
    insurance_payer     TEXT    NOT NULL DEFAULT '',
    insurance_member_id TEXT    NOT NULL DEFAULT '',
    insurance_group_id  TEXT    NOT NULL DEFAULT '',
    scheduling_comment  TEXT    NOT NULL DEFAULT '',
    status              TEXT    NOT NULL CHECK (status IN ('draft', 'ready', 'signed', 'queued', 'sent',
                            'received', 'accepted', 'declined', 'scheduled', 'completed', 'cancelled',
                            'needs attention')),
    status_reason       TEXT    NOT NULL DEFAULT '',
    created_at          INTEGER NOT NULL,
    updated_at          INTEGER NOT NULL,
    signed_at           INTEGER,
    signed_by           TEXT    NOT NULL DEFAULT ''
);
CREATE INDEX orders_patient ON orders (patient_id);
CREATE INDEX orders_provider ON orders (provider_id) WHERE provider_id IS NOT NULL;
CREATE INDEX orders_updated ON orders (updated_at);
CREATE INDEX orders_status_updated ON orders (status, updated_at);

CREATE TABLE order_diagnoses (
    order_id    INTEGER NOT NULL REFERENCES orders (id) ON DELETE CASCADE,
    position    INTEGER NOT NULL,
    code        TEXT    NOT NULL,
    description TEXT    NOT NULL DEFAULT '',
    PRIMARY KEY (order_id, position)
) WITHOUT ROWID;

CREATE TABLE attachments (
    id           INTEGER PRIMARY KEY,
    order_id     INTEGER NOT NULL REFERENCES orders (id) ON DELETE CASCADE,
    position     INTEGER NOT NULL,
    path         TEXT    NOT NULL DEFAULT '',
    file_name    TEXT    NOT NULL DEFAULT '',
    description  TEXT    NOT NULL DEFAULT '',
    kind         TEXT    NOT NULL DEFAULT '' CHECK (kind IN ('', 'records', 'photo', 'video', 'other')),
    content_type TEXT    NOT NULL DEFAULT '',
    size         INTEGER NOT NULL DEFAULT 0,
    sha1         TEXT    NOT NULL DEFAULT '',
    added_at     INTEGER
);
CREATE INDEX attachments_order ON attachments (order_id, position);

-- Who did what to which entity. detail holds ids, statuses and counts only, never patient data.
CREATE TABLE audit_log (
    id        INTEGER PRIMARY KEY,
    at        INTEGER NOT NULL,
    actor     TEXT    NOT NULL,
    action    TEXT    NOT NULL,
    entity    TEXT    NOT NULL,
    entity_id INTEGER NOT NULL,
    detail    TEXT    NOT NULL DEFAULT ''
);

-- Transactional outbox: written in the same transaction as the order's status change.
-- UNIQUE (order_id, kind): an order is never queued twice; re-signing re-arms the one row.
-- No ON DELETE CASCADE: an order with an outbox entry cannot be deleted.
CREATE TABLE outbox (
    id              INTEGER PRIMARY KEY,
    order_id        INTEGER NOT NULL REFERENCES orders (id),
    kind            TEXT    NOT NULL,
    state           TEXT    NOT NULL CHECK (state IN ('pending', 'done', 'dead')),
    attempts        INTEGER NOT NULL DEFAULT 0,
    next_attempt_at INTEGER NOT NULL,
    last_error      TEXT    NOT NULL DEFAULT '',
    created_at      INTEGER NOT NULL,
    UNIQUE (order_id, kind)
);
CREATE INDEX outbox_state_due ON outbox (state, next_attempt_at);
