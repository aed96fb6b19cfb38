-- clinical.db, level 6: occurrences in a note's shared sections the author
-- marked "not a name" (notes::name_release). Each names one occurrence by the
-- words as written and the text around them; the member view leaves exactly
-- that occurrence as written. Part of the note's signed content, so frozen
-- with it like every other part.
--
-- WITHOUT ROWID: the key includes the note, so no insert for a draft can
-- collide with (and REPLACE) a row of a signed note.
CREATE TABLE note_name_releases (
    note_id     INTEGER NOT NULL REFERENCES session_notes(id),
    section_key TEXT NOT NULL,
    match_text  TEXT NOT NULL,
    before_text TEXT NOT NULL,
    after_text  TEXT NOT NULL,
    PRIMARY KEY (note_id, section_key, match_text, before_text, after_text)
) WITHOUT ROWID;

CREATE TRIGGER note_name_releases_signed_no_insert BEFORE INSERT ON note_name_releases
WHEN EXISTS (SELECT 1 FROM note_signatures WHERE note_id = NEW.note_id AND kind = 'sign')
BEGIN SELECT RAISE(ABORT, 'signed note: changes must be addenda'); END;
CREATE TRIGGER note_name_releases_signed_no_update BEFORE UPDATE ON note_name_releases
WHEN EXISTS (SELECT 1 FROM note_signatures WHERE note_id IN (OLD.note_id, NEW.note_id) AND kind = 'sign')
BEGIN SELECT RAISE(ABORT, 'signed note: changes must be addenda'); END;
CREATE TRIGGER note_name_releases_signed_no_delete BEFORE DELETE ON note_name_releases
WHEN EXISTS (SELECT 1 FROM note_signatures WHERE note_id = OLD.note_id AND kind = 'sign')
BEGIN SELECT RAISE(ABORT, 'signed note: changes must be addenda'); END;
