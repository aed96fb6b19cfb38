-- Issue 17: what a retention purge took out of signed notes, so that
-- `verify` can tell a recorded purge from tampering (notes::model::purge_trail).
-- IF NOT EXISTS: tests put a vault back to an earlier level.
CREATE TABLE IF NOT EXISTS purges (
    id             INTEGER PRIMARY KEY,
    -- The id the client had in practice.db, and their record number: the
    -- only things kept about them.
    client_id      INTEGER NOT NULL,
    record_number  TEXT NOT NULL,
    purged_at      TEXT NOT NULL,
    purged_by      INTEGER NOT NULL,
    -- SHA-256 over this purge's trail rows; its audit row carries it too.
    trail_hash     TEXT NOT NULL
);
-- Notes the purged client was a member of: their label stays theirs.
CREATE TABLE IF NOT EXISTS purged_members (
    purge_id   INTEGER NOT NULL REFERENCES purges(id),
    note_id    INTEGER NOT NULL,
    client_id  INTEGER NOT NULL,
    PRIMARY KEY (note_id, client_id)
);
-- A part of a format-3 signed note removed whole, with its digest.
CREATE TABLE IF NOT EXISTS purged_parts (
    purge_id  INTEGER NOT NULL REFERENCES purges(id),
    note_id   INTEGER NOT NULL,
    part      TEXT NOT NULL,
    digest    TEXT NOT NULL,
    PRIMARY KEY (note_id, part)
);
-- A name replaced by a label in a text part of a format-3 signed note: where
-- the label's tokens stand now, and the digests of the tokens they replaced.
CREATE TABLE IF NOT EXISTS purged_spans (
    purge_id     INTEGER NOT NULL REFERENCES purges(id),
    note_id      INTEGER NOT NULL,
    part         TEXT NOT NULL,
    token_index  INTEGER NOT NULL,
    token_count  INTEGER NOT NULL,
    -- The label written (no name): the tokens there must still be it.
    label        TEXT NOT NULL,
    -- Hex SHA-256 digests of the tokens replaced, joined by commas.
    replaced     TEXT NOT NULL,
    PRIMARY KEY (purge_id, note_id, part, token_index)
);
-- A signature in format 1 or 2, or an addendum, whose text a purge changed:
-- the hash the stored text has after it (those formats hash the note whole).
CREATE TABLE IF NOT EXISTS purge_seals (
    purge_id    INTEGER NOT NULL REFERENCES purges(id),
    note_id     INTEGER NOT NULL,
    -- 'sign', 'cosign' or 'addendum:<id>'.
    kind        TEXT NOT NULL,
    hash_after  TEXT NOT NULL,
    PRIMARY KEY (purge_id, note_id, kind)
);
-- An addendum to the purged member's section, removed with its hash.
CREATE TABLE IF NOT EXISTS purged_addenda (
    purge_id      INTEGER NOT NULL REFERENCES purges(id),
    addendum_id   INTEGER PRIMARY KEY,
    note_id       INTEGER NOT NULL,
    content_hash  TEXT NOT NULL
);
