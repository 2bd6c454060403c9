-- 0004_images: the DICOM images of an order. The studies chosen for upload with the user's
-- description, the state of every instance (so a retry, a restart or a kill never re-sends what the
-- server confirmed), one row per STOW-RS request, and the user's confirmations of studies whose
-- patient does not match the order's (the reason is the user's words: patient data, never logged).

CREATE TABLE image_studies (
    order_id    INTEGER NOT NULL REFERENCES orders (id) ON DELETE CASCADE,
    study_uid   TEXT    NOT NULL,
    description TEXT    NOT NULL DEFAULT '',
    selected_at INTEGER NOT NULL,
    PRIMARY KEY (order_id, study_uid)
) WITHOUT ROWID;

-- One row per STOW-RS request. outcome is plain text without patient data ("HTTP 200, 12 of 12 stored").
CREATE TABLE image_batches (
    id          INTEGER PRIMARY KEY,
    order_id    INTEGER NOT NULL REFERENCES orders (id) ON DELETE CASCADE,
    started_at  INTEGER NOT NULL,
    finished_at INTEGER,
    instances   INTEGER NOT NULL,
    bytes       INTEGER NOT NULL,
    stored      INTEGER NOT NULL DEFAULT 0,
    outcome     TEXT    NOT NULL DEFAULT ''
);
CREATE INDEX image_batches_order ON image_batches (order_id);

-- state: pending (never sent), sent (in a request whose answer was not recorded: it may be on the
-- server, so it is looked up there before it is sent again), confirmed (the server listed it as stored).
CREATE TABLE image_instances (
    order_id     INTEGER NOT NULL,
    sop_uid      TEXT    NOT NULL,
    study_uid    TEXT    NOT NULL,
    series_uid   TEXT    NOT NULL DEFAULT '',
    size         INTEGER NOT NULL DEFAULT 0,
    state        TEXT    NOT NULL DEFAULT 'pending' CHECK (state IN ('pending', 'sent', 'confirmed')),
    batch_id     INTEGER REFERENCES image_batches (id) ON DELETE SET NULL, -- the request it last went in
    sends        INTEGER NOT NULL DEFAULT 0, -- requests it went in
    sent_at      INTEGER,
    confirmed_at INTEGER,
    PRIMARY KEY (order_id, sop_uid),
    FOREIGN KEY (order_id, study_uid) REFERENCES image_studies (order_id, study_uid) ON DELETE CASCADE
) WITHOUT ROWID;
CREATE INDEX image_instances_study ON image_instances (order_id, study_uid, state);
CREATE INDEX image_instances_batch ON image_instances (batch_id);

CREATE TABLE image_confirmations (
    order_id     INTEGER NOT NULL REFERENCES orders (id) ON DELETE CASCADE,
    study_uid    TEXT    NOT NULL,
    codes        TEXT    NOT NULL DEFAULT '', -- the problem codes confirmed, comma-separated (no patient data)
    reason       TEXT    NOT NULL,            -- the user's words: patient data, kept here only
    confirmed_at INTEGER NOT NULL,
    PRIMARY KEY (order_id, study_uid)
) WITHOUT ROWID;
