-- 0010_international: addresses in any country, the patient's language, providers outside the US.

-- Every chart made before countries were recorded was a US chart (state and ZIP were required).
ALTER TABLE patients ADD COLUMN country TEXT NOT NULL DEFAULT 'US';
-- language: BCP 47 tag of the preferred language ('' when not asked).
ALTER TABLE patients ADD COLUMN language TEXT NOT NULL DEFAULT '';
ALTER TABLE patients ADD COLUMN interpreter_needed INTEGER NOT NULL DEFAULT 0 CHECK (interpreter_needed IN (0, 1));

-- A provider outside the US has a licence (number, issuing country, authority) instead of an NPI.
ALTER TABLE providers ADD COLUMN licence_number TEXT NOT NULL DEFAULT '';
ALTER TABLE providers ADD COLUMN licence_country TEXT NOT NULL DEFAULT '';
ALTER TABLE providers ADD COLUMN licence_authority TEXT NOT NULL DEFAULT '';
ALTER TABLE providers ADD COLUMN practice_line TEXT NOT NULL DEFAULT '';
ALTER TABLE providers ADD COLUMN practice_city TEXT NOT NULL DEFAULT '';
ALTER TABLE providers ADD COLUMN practice_state TEXT NOT NULL DEFAULT '';
ALTER TABLE providers ADD COLUMN practice_postal_code TEXT NOT NULL DEFAULT '';
-- '' for providers from before: where they practise was never asked.
ALTER TABLE providers ADD COLUMN practice_country TEXT NOT NULL DEFAULT '';
ALTER TABLE providers ADD COLUMN practice_phone TEXT NOT NULL DEFAULT '';
-- One provider per licence of one country (as one per NPI).
CREATE UNIQUE INDEX providers_licence ON providers (licence_country, licence_number) WHERE licence_number <> '';
