-- 0006_demo_marker: a database made by `referraldesk demo-data` says so, and remembers which rows
-- demo-data made. A demo database never sends to a server off this machine, and demo-data refuses
-- a database holding patients, orders or providers it did not make.

-- One row when the database is a demo database; no row for a real one. The mark cannot be changed
-- or removed: a demo database never turns into one whose fake orders could be sent.
CREATE TABLE database_kind (
    id        INTEGER PRIMARY KEY CHECK (id = 1),
    kind      TEXT    NOT NULL CHECK (kind = 'demo'),
    marked_at INTEGER NOT NULL
);
CREATE TRIGGER database_kind_no_update BEFORE UPDATE ON database_kind
BEGIN
    SELECT RAISE(ABORT, 'a demo database stays a demo database');
END;
CREATE TRIGGER database_kind_no_delete BEFORE DELETE ON database_kind
BEGIN
    SELECT RAISE(ABORT, 'a demo database stays a demo database');
END;

-- The rows demo-data made. No foreign keys: a deleted demo draft leaves a harmless stale row.
CREATE TABLE demo_rows (
    entity    TEXT    NOT NULL CHECK (entity IN ('patient', 'provider', 'order')),
    entity_id INTEGER NOT NULL,
    PRIMARY KEY (entity, entity_id)
) WITHOUT ROWID;
