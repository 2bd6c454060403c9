-- 0011_clinic_mrn_imports: the referring clinic's own MRN on the chart, and what an order keeps of
-- the EHR export it was started from.

-- clinic_mrn: the clinic's medical record number of the patient ('' for charts from before);
-- clinic_mrn_system: its identifier system as the export sent it ('' when typed by hand).
ALTER TABLE patients ADD COLUMN clinic_mrn TEXT NOT NULL DEFAULT '';
ALTER TABLE patients ADD COLUMN clinic_mrn_system TEXT NOT NULL DEFAULT '';
-- An import looks the chart up by the clinic's number.
CREATE INDEX patients_clinic_mrn ON patients (clinic_mrn_system, clinic_mrn) WHERE clinic_mrn <> '';

-- One summary (JSON: problems with their ICD-10-CM suggestions, medications, allergies) per order
-- started from an import, so the diagnosis step and the review page still have it after a restart.
CREATE TABLE order_imports (
    order_id INTEGER PRIMARY KEY REFERENCES orders (id) ON DELETE CASCADE,
    summary  TEXT    NOT NULL,
    saved_at INTEGER NOT NULL
);
