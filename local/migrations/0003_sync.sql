-- 0003_sync: what the sync worker needs to send each signed order exactly once and to keep what it
-- pulls back: completed submission steps with their server ids, account settings (never secrets),
-- and the institution's appointments, messages and results for our orders.

-- One row per completed step of an order's submission ("binary:12", "docref:12", "bundle", ...),
-- written in the same transaction that marks the step done: a retry skips what is already on the server.
CREATE TABLE sync_steps (
    order_id  INTEGER NOT NULL REFERENCES orders (id),
    step      TEXT    NOT NULL,
    server_id TEXT    NOT NULL DEFAULT '',
    done_at   INTEGER NOT NULL,
    PRIMARY KEY (order_id, step)
) WITHOUT ROWID;

-- Non-secret settings such as the account's server addresses and user name. Secrets live only in the
-- operating system's keychain.
CREATE TABLE settings (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
) WITHOUT ROWID;

CREATE TABLE appointments (
    id          INTEGER PRIMARY KEY,
    order_id    INTEGER NOT NULL REFERENCES orders (id),
    server_id   TEXT    NOT NULL UNIQUE,
    status      TEXT    NOT NULL DEFAULT '',
    start_at    INTEGER,
    end_at      INTEGER,
    location    TEXT    NOT NULL DEFAULT '',
    description TEXT    NOT NULL DEFAULT '',
    updated_at  INTEGER NOT NULL
);
CREATE INDEX appointments_start ON appointments (start_at);

CREATE TABLE messages (
    id         INTEGER PRIMARY KEY,
    order_id   INTEGER NOT NULL REFERENCES orders (id),
    server_id  TEXT    NOT NULL UNIQUE,
    sent_at    INTEGER,
    sender     TEXT    NOT NULL DEFAULT '',
    body       TEXT    NOT NULL DEFAULT '',
    read       INTEGER NOT NULL DEFAULT 0 CHECK (read IN (0, 1)),
    updated_at INTEGER NOT NULL
);
CREATE INDEX messages_unread ON messages (read, sent_at);

CREATE TABLE results (
    id           INTEGER PRIMARY KEY,
    order_id     INTEGER NOT NULL REFERENCES orders (id),
    server_id    TEXT    NOT NULL UNIQUE, -- "DiagnosticReport/12" or "DocumentReference/34"
    kind         TEXT    NOT NULL DEFAULT '',
    title        TEXT    NOT NULL DEFAULT '',
    issued_at    INTEGER,
    content_type TEXT    NOT NULL DEFAULT '',
    url          TEXT    NOT NULL DEFAULT '', -- where to download it from the server
    data         BLOB,                        -- inline content, when the server sent it inline
    local_path   TEXT    NOT NULL DEFAULT '', -- once downloaded into the data folder
    updated_at   INTEGER NOT NULL
);
CREATE INDEX results_issued ON results (issued_at);
