-- The notes not signed yet, kept as they are written and signed, so Today's
-- "to sign" reads a handful of rows: finding them by checking every note
-- ever written for a signature grew with each year (2.3× at ten years).
-- IF NOT EXISTS and OR IGNORE: tests put a vault back to an earlier level.
CREATE TABLE IF NOT EXISTS note_drafts (
    note_id INTEGER PRIMARY KEY REFERENCES session_notes(id) ON DELETE CASCADE
);
INSERT OR IGNORE INTO note_drafts (note_id)
SELECT n.id FROM session_notes n
WHERE NOT EXISTS (SELECT 1 FROM note_signatures s WHERE s.note_id = n.id AND s.kind = 'sign');
