-- practice.db, level 10: the letterhead every exported PDF carries.
-- Address lines, phone and logo (PNG or JPEG, at most 1 MiB) are optional;
-- a vault from before reads them empty.

ALTER TABLE practice_settings ADD COLUMN address TEXT NOT NULL DEFAULT '';
ALTER TABLE practice_settings ADD COLUMN phone TEXT NOT NULL DEFAULT '';
ALTER TABLE practice_settings ADD COLUMN logo BLOB;
