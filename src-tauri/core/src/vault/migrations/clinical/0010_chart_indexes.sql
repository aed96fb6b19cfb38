-- A member's chart found their notes, and every note its signatures, by
-- reading the whole table: on a ten-year practice (230,000 member sections,
-- 27,000 signed notes) a chart took about two seconds. IF NOT EXISTS: a
-- test rebuilding an older vault may leave them in place.
CREATE INDEX IF NOT EXISTS member_notes_by_client ON member_notes(client_id);
CREATE INDEX IF NOT EXISTS note_signatures_by_note ON note_signatures(note_id);
