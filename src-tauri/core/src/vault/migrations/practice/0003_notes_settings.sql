-- practice.db, level 3: settings the notes need.

-- When on (the default), a clinician reads and writes notes only for clients
-- of groups they facilitate; owners and supervisors see every record.
ALTER TABLE practice_settings ADD COLUMN notes_scope_limited INTEGER NOT NULL DEFAULT 1
    CHECK (notes_scope_limited IN (0, 1));
