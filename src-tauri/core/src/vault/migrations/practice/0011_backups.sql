-- practice.db, level 11: backups.
--
-- The practice's own id, random, so a backup names the practice it belongs
-- to and a restore can refuse another practice's file.
ALTER TABLE practice_settings ADD COLUMN practice_uid TEXT NOT NULL DEFAULT '';
UPDATE practice_settings SET practice_uid = lower(hex(randomblob(16))) WHERE practice_uid = '';

-- Where scheduled backups go and how many are kept (one row, set by the
-- owner or a manager). No folder: no scheduled backups.
CREATE TABLE backup_settings (
    id      INTEGER PRIMARY KEY CHECK (id = 1),
    folder  TEXT,
    keep    INTEGER NOT NULL DEFAULT 14 CHECK (keep BETWEEN 1 AND 365)
);
INSERT INTO backup_settings (id, folder, keep) VALUES (1, NULL, 14);

-- Every attempt, good or failed: Settings shows the last good one and Today
-- warns after a failure. Paths and sizes only; never anything about clients.
CREATE TABLE backup_runs (
    id          INTEGER PRIMARY KEY,
    at          TEXT NOT NULL,
    scheduled   INTEGER NOT NULL CHECK (scheduled IN (0, 1)),
    ok          INTEGER NOT NULL CHECK (ok IN (0, 1)),
    file        TEXT,
    size_bytes  INTEGER,
    failure     TEXT CHECK (failure IN ('folder_missing', 'not_writable', 'disk_full', 'other')),
    detail      TEXT
);
