-- clinical.db, level 1: created with the vault so its key is proven from day
-- one. Notes, goals and templates arrive in later levels.

CREATE TABLE clinical_meta (
    name   TEXT PRIMARY KEY,
    value  TEXT NOT NULL
);
