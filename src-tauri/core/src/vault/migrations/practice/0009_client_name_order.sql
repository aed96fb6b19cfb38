-- practice.db, level 9: a client's middle name, and the order their name is
-- written in ('given': "Minh Nguyễn"; 'family': "Nguyễn Minh"). The legal
-- first name stays the given name and the legal last name the family name.
-- Existing clients have no middle name and keep the given-first order, so
-- their names read as before; their search keys need no change (a middle
-- name joins `search_key` when one is entered).
ALTER TABLE clients ADD COLUMN middle_name TEXT;
ALTER TABLE clients ADD COLUMN name_order TEXT NOT NULL DEFAULT 'given'
    CHECK (name_order IN ('given', 'family'));
