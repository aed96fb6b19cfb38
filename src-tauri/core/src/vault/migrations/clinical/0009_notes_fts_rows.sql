-- Which full-text rows hold a note's sections. notes_fts's note_id column
-- is UNINDEXED (FTS5 indexes only text), so finding a note's rows scanned
-- the whole index: every autosave read every note ever written. Addenda are
-- never re-indexed and are not listed. Maintained by the notes module.
CREATE TABLE notes_fts_rows (
    fts_rowid  INTEGER PRIMARY KEY,
    note_id    INTEGER NOT NULL
);
CREATE INDEX notes_fts_rows_by_note ON notes_fts_rows(note_id);

INSERT INTO notes_fts_rows (fts_rowid, note_id)
SELECT rowid, note_id FROM notes_fts WHERE section <> 'addendum';
