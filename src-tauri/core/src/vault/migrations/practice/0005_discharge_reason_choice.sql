-- practice.db, level 5: why someone left a group is a choice, not free text.
--
-- Every role reads practice.db, the front desk included, and a free-text
-- reason could say something clinical. From now on `discharge_reason` holds
-- one of the choices below; anything clinical goes in the discharge's
-- clinical note, in clinical.db (clinical level 4), which only clinical staff
-- write and read.
--
-- Reasons written before: one that is just a choice's words becomes that
-- choice; any other becomes 'other', and its text waits in
-- `discharge_reasons_to_move` — out of every screen — until the next sign-in
-- of someone holding the clinical key moves it into clinical.db as that
-- discharge's clinical note and deletes it here
-- (`notes::discharge_note::move_earlier_reasons`). SQL in practice.db cannot
-- reach clinical.db, which is a separate file under another key.

CREATE TABLE discharge_reasons_to_move (
    enrollment_id INTEGER PRIMARY KEY REFERENCES enrollments(id),
    reason_text   TEXT NOT NULL
);

CREATE TEMP TABLE discharge_reason_words (
    word   TEXT PRIMARY KEY,
    reason TEXT NOT NULL
);
INSERT INTO temp.discharge_reason_words (word, reason) VALUES
    ('completed', 'completed'),
    ('complete', 'completed'),
    ('completed the group', 'completed'),
    ('completed the program', 'completed'),
    ('completed the programme', 'completed'),
    ('finished', 'completed'),
    ('graduated', 'completed'),
    ('chose to leave', 'chose_to_leave'),
    ('withdrew', 'chose_to_leave'),
    ('declined', 'chose_to_leave'),
    ('not now', 'chose_to_leave'),
    ('no longer interested', 'chose_to_leave'),
    ('stopped attending', 'stopped_attending'),
    ('stopped coming', 'stopped_attending'),
    ('dropped out', 'stopped_attending'),
    ('no show', 'stopped_attending'),
    ('no-show', 'stopped_attending'),
    ('referred elsewhere', 'referred_elsewhere'),
    ('referred', 'referred_elsewhere'),
    ('referred out', 'referred_elsewhere'),
    ('moved away', 'moved_away'),
    ('moved', 'moved_away'),
    ('relocated', 'moved_away'),
    ('other', 'other');

INSERT INTO discharge_reasons_to_move (enrollment_id, reason_text)
SELECT id, discharge_reason FROM enrollments
 WHERE trim(coalesce(discharge_reason, '')) <> ''
   AND lower(trim(discharge_reason)) NOT IN (SELECT word FROM temp.discharge_reason_words);

-- SQLCipher runs with secure_delete on: the old text's bytes are
-- overwritten as it is replaced, not left in free space in the file.
UPDATE enrollments
   SET discharge_reason = CASE
       WHEN status = 'discharged' THEN coalesce(
           (SELECT reason FROM temp.discharge_reason_words
             WHERE word = lower(trim(enrollments.discharge_reason))),
           'other')
       END
 WHERE discharge_reason IS NOT NULL OR status = 'discharged';

DROP TABLE temp.discharge_reason_words;

-- Nothing but a choice is ever stored again (the app refuses anything else
-- first; this is for raw SQL).
CREATE TRIGGER enrollments_discharge_reason_insert
BEFORE INSERT ON enrollments
WHEN NEW.discharge_reason IS NOT NULL AND NEW.discharge_reason NOT IN
     ('completed', 'chose_to_leave', 'stopped_attending', 'referred_elsewhere', 'moved_away', 'other')
BEGIN
    SELECT RAISE(ABORT, 'discharge_reason must be one of the choices');
END;

CREATE TRIGGER enrollments_discharge_reason_update
BEFORE UPDATE OF discharge_reason ON enrollments
WHEN NEW.discharge_reason IS NOT NULL AND NEW.discharge_reason NOT IN
     ('completed', 'chose_to_leave', 'stopped_attending', 'referred_elsewhere', 'moved_away', 'other')
BEGIN
    SELECT RAISE(ABORT, 'discharge_reason must be one of the choices');
END;
