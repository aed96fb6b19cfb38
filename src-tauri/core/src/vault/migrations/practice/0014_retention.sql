-- Issue 17: how long records are kept (owned by `retention`).
CREATE TABLE IF NOT EXISTS retention_settings (
    id                    INTEGER PRIMARY KEY CHECK (id = 1),
    -- Years after the last contact (a session, an appointment, a discharge).
    years_after_contact   INTEGER NOT NULL DEFAULT 7 CHECK (years_after_contact BETWEEN 1 AND 100),
    -- For a client who was a minor at their last contact: also until this
    -- many years after their 18th birthday.
    years_after_majority  INTEGER NOT NULL DEFAULT 3 CHECK (years_after_majority BETWEEN 0 AND 100),
    changed_at            TEXT
);
INSERT OR IGNORE INTO retention_settings (id) VALUES (1);
