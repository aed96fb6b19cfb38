-- practice.db, level 1: the practice, its staff, and the audit trail.

CREATE TABLE practice_settings (
    id                 INTEGER PRIMARY KEY CHECK (id = 1),
    name               TEXT NOT NULL,
    timezone           TEXT NOT NULL,
    idle_lock_minutes  INTEGER NOT NULL DEFAULT 10 CHECK (idle_lock_minutes BETWEEN 1 AND 240),
    created_at         TEXT NOT NULL
);

-- Secrets that live inside the encrypted database (the audit chain key).
CREATE TABLE vault_secrets (
    name   TEXT PRIMARY KEY,
    value  BLOB NOT NULL
);

CREATE TABLE staff (
    id              INTEGER PRIMARY KEY,
    username        TEXT NOT NULL UNIQUE COLLATE NOCASE,
    full_name       TEXT NOT NULL,
    role            TEXT NOT NULL CHECK (role IN ('owner', 'clinician', 'supervisor', 'manager', 'front_desk')),
    supervisor_id   INTEGER REFERENCES staff(id),
    active          INTEGER NOT NULL DEFAULT 1 CHECK (active IN (0, 1)),
    created_at      TEXT NOT NULL,
    deactivated_at  TEXT
);

-- Append-only, HMAC-chained. Ids and actions only: never names or note text.
CREATE TABLE audit_log (
    id           INTEGER PRIMARY KEY,
    at           TEXT NOT NULL,
    actor_id     INTEGER,
    action       TEXT NOT NULL,
    entity_kind  TEXT,
    entity_id    INTEGER,
    detail       TEXT,
    mac          BLOB NOT NULL
);
CREATE INDEX audit_log_by_actor ON audit_log(actor_id, id);
CREATE INDEX audit_log_by_entity ON audit_log(entity_kind, entity_id, id);

CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
