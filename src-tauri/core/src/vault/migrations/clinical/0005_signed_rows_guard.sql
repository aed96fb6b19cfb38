-- clinical.db, level 5: no statement can take the place of part of a signed
-- note, and each signature records the canonical form it was hashed in.
--
-- `INSERT OR REPLACE`, `REPLACE` and `UPDATE OR REPLACE` delete the row they
-- collide with, and SQLite fires that row's delete triggers only when
-- `recursive_triggers` is on. Circle turns it on at every open (vault::db);
-- a plain SQLite shell does not. So the triggers below refuse, whatever the
-- connection's settings, every insert (and every update that moves a row)
-- that would collide with a row of a signed note, a signature or an
-- addendum. Level 2's triggers still refuse updates and deletes.

-- The canonical format of `content_hash` (notes::model::signature): 1 for
-- signatures made before this level, which hashed the content alone; later
-- ones also cover who wrote, signed and co-signed the note, and when.
ALTER TABLE note_signatures ADD COLUMN canonical_format INTEGER NOT NULL DEFAULT 1;

-- Signatures and addenda: nothing takes the id of one, nor a note's second
-- signature of a kind.
CREATE TRIGGER note_signatures_no_replace BEFORE INSERT ON note_signatures
WHEN EXISTS (SELECT 1 FROM note_signatures
             WHERE id = NEW.id OR (note_id = NEW.note_id AND kind = NEW.kind))
BEGIN SELECT RAISE(ABORT, 'signatures cannot be changed'); END;
CREATE TRIGGER note_addenda_no_replace BEFORE INSERT ON note_addenda
WHEN EXISTS (SELECT 1 FROM note_addenda WHERE id = NEW.id)
BEGIN SELECT RAISE(ABORT, 'addenda cannot be changed'); END;

-- The note row: no new or moved row takes a signed note's id or session.
CREATE TRIGGER session_notes_signed_no_replace BEFORE INSERT ON session_notes
WHEN EXISTS (SELECT 1 FROM session_notes n
             JOIN note_signatures s ON s.note_id = n.id AND s.kind = 'sign'
             WHERE n.id = NEW.id OR n.session_id = NEW.session_id)
BEGIN SELECT RAISE(ABORT, 'signed note: changes must be addenda'); END;
CREATE TRIGGER session_notes_signed_no_move BEFORE UPDATE ON session_notes
WHEN EXISTS (SELECT 1 FROM session_notes n
             JOIN note_signatures s ON s.note_id = n.id AND s.kind = 'sign'
             WHERE n.id <> OLD.id AND (n.id = NEW.id OR n.session_id = NEW.session_id))
BEGIN SELECT RAISE(ABORT, 'signed note: changes must be addenda'); END;

-- The content tables key rows by note (level 2 refuses those of a signed
-- note), but each row also has a rowid another note's row could take.
CREATE TRIGGER note_sections_signed_no_replace BEFORE INSERT ON note_sections
WHEN EXISTS (SELECT 1 FROM note_sections x
             JOIN note_signatures s ON s.note_id = x.note_id AND s.kind = 'sign'
             WHERE x.rowid = NEW.rowid)
BEGIN SELECT RAISE(ABORT, 'signed note: changes must be addenda'); END;
CREATE TRIGGER note_sections_signed_no_move BEFORE UPDATE ON note_sections
WHEN NEW.rowid IS NOT OLD.rowid AND EXISTS (SELECT 1 FROM note_sections x
             JOIN note_signatures s ON s.note_id = x.note_id AND s.kind = 'sign'
             WHERE x.rowid = NEW.rowid)
BEGIN SELECT RAISE(ABORT, 'signed note: changes must be addenda'); END;

CREATE TRIGGER member_notes_signed_no_replace BEFORE INSERT ON member_notes
WHEN EXISTS (SELECT 1 FROM member_notes x
             JOIN note_signatures s ON s.note_id = x.note_id AND s.kind = 'sign'
             WHERE x.rowid = NEW.rowid)
BEGIN SELECT RAISE(ABORT, 'signed note: changes must be addenda'); END;
CREATE TRIGGER member_notes_signed_no_move BEFORE UPDATE ON member_notes
WHEN NEW.rowid IS NOT OLD.rowid AND EXISTS (SELECT 1 FROM member_notes x
             JOIN note_signatures s ON s.note_id = x.note_id AND s.kind = 'sign'
             WHERE x.rowid = NEW.rowid)
BEGIN SELECT RAISE(ABORT, 'signed note: changes must be addenda'); END;

CREATE TRIGGER note_roster_signed_no_replace BEFORE INSERT ON note_roster
WHEN EXISTS (SELECT 1 FROM note_roster x
             JOIN note_signatures s ON s.note_id = x.note_id AND s.kind = 'sign'
             WHERE x.rowid = NEW.rowid)
BEGIN SELECT RAISE(ABORT, 'signed note: changes must be addenda'); END;
CREATE TRIGGER note_roster_signed_no_move BEFORE UPDATE ON note_roster
WHEN NEW.rowid IS NOT OLD.rowid AND EXISTS (SELECT 1 FROM note_roster x
             JOIN note_signatures s ON s.note_id = x.note_id AND s.kind = 'sign'
             WHERE x.rowid = NEW.rowid)
BEGIN SELECT RAISE(ABORT, 'signed note: changes must be addenda'); END;

CREATE TRIGGER goal_ratings_signed_no_replace BEFORE INSERT ON goal_ratings
WHEN EXISTS (SELECT 1 FROM goal_ratings x
             JOIN note_signatures s ON s.note_id = x.note_id AND s.kind = 'sign'
             WHERE x.rowid = NEW.rowid)
BEGIN SELECT RAISE(ABORT, 'signed note: changes must be addenda'); END;
CREATE TRIGGER goal_ratings_signed_no_move BEFORE UPDATE ON goal_ratings
WHEN NEW.rowid IS NOT OLD.rowid AND EXISTS (SELECT 1 FROM goal_ratings x
             JOIN note_signatures s ON s.note_id = x.note_id AND s.kind = 'sign'
             WHERE x.rowid = NEW.rowid)
BEGIN SELECT RAISE(ABORT, 'signed note: changes must be addenda'); END;
