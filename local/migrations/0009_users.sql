-- 0008_users: the people who share this workstation, and who started each order.

-- pin_hash is an Argon2id hash with its salt and parameters (app/users.Hash); the PIN is never kept.
-- provider_id: for a physician, the provider record they are.
CREATE TABLE users (
    id          INTEGER PRIMARY KEY,
    name        TEXT    NOT NULL CHECK (name <> ''),
    role        TEXT    NOT NULL CHECK (role IN ('physician', 'staff')),
    provider_id INTEGER REFERENCES providers (id),
    pin_hash    TEXT    NOT NULL CHECK (pin_hash <> ''),
    created_at  INTEGER NOT NULL,
    active      INTEGER NOT NULL DEFAULT 1
);
CREATE UNIQUE INDEX users_active_name ON users (name COLLATE NOCASE) WHERE active;

-- created_by: the user who started the order (NULL: before users, or no users set up). Drafts are
-- listed per user.
ALTER TABLE orders ADD COLUMN created_by INTEGER REFERENCES users (id);
