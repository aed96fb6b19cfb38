-- practice.db, level 10: the letterhead every exported PDF carries.
-- Address lines and phone are optional; a vault from before reads them empty.

ALTER TABLE practice_settings ADD COLUMN address TEXT NOT NULL DEFAULT '';
ALTER TABLE practice_settings ADD COLUMN phone TEXT NOT NULL DEFAULT '';
