-- What practice.db commits to about the keyring, so a keyring.json edited
-- by someone without a passphrase is refused rather than acted on.

-- Each login's delivery public key, as its owner (or the administrator who
-- made the login) left it. Nothing is sealed to a key that differs.
CREATE TABLE login_keys (
    login TEXT PRIMARY KEY,
    delivery_public TEXT NOT NULL,
    updated_at TEXT NOT NULL
);

-- A key rotation under way: the hash of the key this database is about to
-- be re-encrypted to, written under the old key before any delivery. A
-- sign-in re-encrypts only to a key committed here.
CREATE TABLE key_rotation_pending (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    new_key_hash TEXT NOT NULL,
    started_at TEXT NOT NULL
);

-- Clinical access approved by a clinical-key holder, for one login's
-- delivery key. Nothing else grants the clinical key.
CREATE TABLE clinical_grants (
    id INTEGER PRIMARY KEY,
    staff_id INTEGER NOT NULL REFERENCES staff(id),
    delivery_public TEXT NOT NULL,
    approved_by INTEGER NOT NULL REFERENCES staff(id),
    approved_at TEXT NOT NULL
);
