-- 0005_audit_chain: the audit log becomes append-only and tamper-evident.
--
-- Every row carries hash = SHA-256 over its content fields and prev_hash, the hash of the row before
-- it (the first row's prev_hash is ''). The store computes both when it writes the row; rows written
-- before this migration are sealed in order by the Go step that runs in the same transaction right
-- after this file (local/audit.go, sealLegacyAudit). patient_id lets the trail be filtered by
-- patient without joining orders (0 when the event concerns no patient).
--
-- The triggers make UPDATE and DELETE fail inside SQLite itself, whoever runs them. The only update
-- allowed is the one-time seal of a legacy row: hash from '' to a value, every content field unchanged.
-- Someone who drops the triggers can still edit the file; the chain then shows where
-- (referraldesk audit --verify).

ALTER TABLE audit_log ADD COLUMN patient_id INTEGER NOT NULL DEFAULT 0;
ALTER TABLE audit_log ADD COLUMN prev_hash TEXT NOT NULL DEFAULT '';
ALTER TABLE audit_log ADD COLUMN hash TEXT NOT NULL DEFAULT '';

UPDATE audit_log SET patient_id = entity_id WHERE entity = 'patient';
UPDATE audit_log SET patient_id = coalesce((SELECT o.patient_id FROM orders o WHERE o.id = audit_log.entity_id), 0)
WHERE entity = 'order';

CREATE INDEX audit_log_patient ON audit_log (patient_id, id);
CREATE INDEX audit_log_actor ON audit_log (actor, id);
CREATE INDEX audit_log_at ON audit_log (at);

CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
WHEN NOT (OLD.hash = '' AND NEW.hash <> '' AND NEW.id = OLD.id AND NEW.at = OLD.at AND NEW.actor = OLD.actor
    AND NEW.action = OLD.action AND NEW.entity = OLD.entity AND NEW.entity_id = OLD.entity_id
    AND NEW.detail = OLD.detail AND NEW.patient_id = OLD.patient_id)
BEGIN
    SELECT RAISE(ABORT, 'audit_log is append-only: rows cannot be changed');
END;

CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
BEGIN
    SELECT RAISE(ABORT, 'audit_log is append-only: rows cannot be deleted');
END;

-- A new row must be sealed, and INSERT OR REPLACE must not overwrite an existing row (REPLACE deletes
-- without firing delete triggers unless recursive_triggers is on).
CREATE TRIGGER audit_log_insert_sealed BEFORE INSERT ON audit_log
WHEN NEW.hash = '' OR EXISTS (SELECT 1 FROM audit_log WHERE id = NEW.id)
BEGIN
    SELECT RAISE(ABORT, 'audit_log is append-only: a new row must be sealed and must not replace another');
END;
