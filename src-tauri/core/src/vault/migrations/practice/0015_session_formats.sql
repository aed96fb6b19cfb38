-- practice.db, level 15: one-to-one and family/couple work (issue 19).
-- An individual (or family/couple) session is a session of a "pairing": a
-- group row of format 'individual' or 'family' whose facilitator is the
-- clinician and whose active members are the client (or clients). Notes,
-- signing, co-signature, addenda, private notes, search, scope, check-in,
-- measures and exports all work on sessions, so they work on these too.
-- Pairings never show among the groups; existing rows are all 'group'.
ALTER TABLE groups ADD COLUMN format TEXT NOT NULL DEFAULT 'group'
    CHECK (format IN ('group', 'individual', 'family'));
CREATE INDEX IF NOT EXISTS groups_by_format_facilitator
    ON groups(format, primary_facilitator_id);
