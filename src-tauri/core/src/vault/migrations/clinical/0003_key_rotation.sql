-- A key rotation under way for clinical.db (see practice 0004): the hash of
-- the key it is about to be re-encrypted to, written under the old key.
CREATE TABLE key_rotation_pending (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    new_key_hash TEXT NOT NULL,
    started_at TEXT NOT NULL
);
