-- clinical.db, level 4: the clinical note of a discharge — what a clinician
-- wants on record about why someone left a group. The reason itself is a
-- choice in practice.db (practice level 5) that every role sees; this note
-- is for clinical staff alone, like every table in this file.
--
-- Ids refer to rows in practice.db (enrollments, clients, groups, staff);
-- SQLite cannot enforce keys across files, so `notes::discharge_note`
-- checks them.
CREATE TABLE discharge_notes (
    enrollment_id INTEGER PRIMARY KEY,
    client_id     INTEGER NOT NULL,
    group_id      INTEGER NOT NULL,
    body          TEXT NOT NULL CHECK (length(body) > 0),
    -- Who wrote it; NULL for a free-text reason written before level 4 and
    -- moved here from practice.db (its author was not recorded).
    author_id     INTEGER,
    written_at    TEXT NOT NULL
);
CREATE INDEX discharge_notes_by_client ON discharge_notes(client_id);
