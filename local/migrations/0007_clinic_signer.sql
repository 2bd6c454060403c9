-- 0007_clinic_signer: the referring clinic (the sending organisation, one row) and who signed
-- each order and for whom.

-- id is always 1: there is one clinic per installation. address_lines holds the street lines
-- joined by a newline.
CREATE TABLE clinic (
    id            INTEGER PRIMARY KEY CHECK (id = 1),
    name          TEXT    NOT NULL CHECK (name <> ''),
    address_lines TEXT    NOT NULL DEFAULT '',
    city          TEXT    NOT NULL DEFAULT '',
    state         TEXT    NOT NULL DEFAULT '',
    postal_code   TEXT    NOT NULL DEFAULT '',
    country       TEXT    NOT NULL DEFAULT 'US',
    phone         TEXT    NOT NULL DEFAULT '',
    fax           TEXT    NOT NULL DEFAULT '',
    npi           TEXT    NOT NULL DEFAULT '',
    email         TEXT    NOT NULL DEFAULT '',
    updated_at    INTEGER NOT NULL
);

-- signed_by stays the signer's name as shown. signer_role: provider (signed themself) or staff
-- (entered on the provider's behalf); '' for orders signed before this migration.
-- signed_for_provider_id / signed_for: the authorizing provider signed for, and their name then.
-- signer_os_user: the computer login, for the audit trail only.
ALTER TABLE orders ADD COLUMN signer_role TEXT NOT NULL DEFAULT '' CHECK (signer_role IN ('', 'provider', 'staff'));
ALTER TABLE orders ADD COLUMN signed_for_provider_id INTEGER REFERENCES providers (id);
ALTER TABLE orders ADD COLUMN signed_for TEXT NOT NULL DEFAULT '';
ALTER TABLE orders ADD COLUMN signer_os_user TEXT NOT NULL DEFAULT '';

-- Until now signed_by held the computer login: move it where logins belong, so it is never shown
-- as the person who signed.
UPDATE orders SET signer_os_user = signed_by, signed_by = '' WHERE signed_by <> '';
