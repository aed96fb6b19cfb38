-- clinical.db, level 7: the names frozen when a note is signed keep the
-- middle name and the order the name is written in, so a later signature
-- still redacts a middle name ("Thị") from the other members' records.
--
-- NULL in both for every row signed before this level, and for members with
-- no middle name and the given-first order: what such a note hashes is
-- exactly what it hashed before (notes::model::note, `roster_more`), so every
-- signature made before this level still verifies. The level 2 and level 5
-- triggers on note_roster refuse any change to a signed note's rows, these
-- columns included.
ALTER TABLE note_roster ADD COLUMN middle_name TEXT;
ALTER TABLE note_roster ADD COLUMN name_order TEXT
    CHECK (name_order IS NULL OR name_order IN ('given', 'family'));
