-- clinical.db, level 2: note templates, session notes (a shared part and a
-- section per attending member), signatures, addenda, goals and ratings,
-- psychotherapy (private) notes, and the full-text index of notes.
--
-- Ids of sessions, groups, clients and staff refer to rows in practice.db;
-- SQLite cannot enforce keys across files, so the notes module checks them.

CREATE TABLE note_templates (
    code      TEXT PRIMARY KEY CHECK (code IN ('girp', 'soap', 'dap', 'birp')),
    name      TEXT NOT NULL,
    position  INTEGER NOT NULL
);

-- A template is a list of sections. `shared` sections are written once for
-- the group; `member` sections once per attending member.
CREATE TABLE note_template_sections (
    template_code  TEXT NOT NULL REFERENCES note_templates(code),
    key            TEXT NOT NULL,
    label          TEXT NOT NULL,
    guidance       TEXT NOT NULL,
    scope          TEXT NOT NULL CHECK (scope IN ('shared', 'member')),
    required       INTEGER NOT NULL DEFAULT 1 CHECK (required IN (0, 1)),
    position       INTEGER NOT NULL,
    PRIMARY KEY (template_code, key)
);

INSERT INTO note_templates (code, name, position) VALUES
    ('girp', 'GIRP — Goals, Interventions, Response, Plan', 1),
    ('soap', 'SOAP — Subjective, Objective, Assessment, Plan', 2),
    ('dap',  'DAP — Data, Assessment, Plan', 3),
    ('birp', 'BIRP — Behaviour, Intervention, Response, Plan', 4);

INSERT INTO note_template_sections (template_code, key, label, guidance, scope, required, position) VALUES
    ('girp', 'topic',         'Goal of the session',  'The session''s topic and what the group worked towards.', 'shared', 1, 1),
    ('girp', 'interventions', 'Interventions',        'What you did: exercises, psychoeducation, techniques used.', 'shared', 1, 2),
    ('girp', 'process',       'Group process',        'How the group worked together: themes, cohesion, conflict.', 'shared', 0, 3),
    ('girp', 'participation', 'Participation',        'How this member took part: engagement, contributions.', 'member', 1, 4),
    ('girp', 'response',      'Response',             'How this member responded to the interventions.', 'member', 1, 5),
    ('girp', 'plan',          'Plan',                 'Next steps for this member: homework, referrals, focus.', 'member', 1, 6),

    ('soap', 'topic',         'Session topic',        'What the session covered.', 'shared', 1, 1),
    ('soap', 'interventions', 'Interventions',        'What you did with the group.', 'shared', 1, 2),
    ('soap', 'process',       'Group process',        'How the group worked together.', 'shared', 0, 3),
    ('soap', 'subjective',    'Subjective',           'What this member reported, in their words where useful.', 'member', 1, 4),
    ('soap', 'objective',     'Objective',            'What you observed: affect, behaviour, participation.', 'member', 1, 5),
    ('soap', 'assessment',    'Assessment',           'Your clinical reading of this member today.', 'member', 1, 6),
    ('soap', 'plan',          'Plan',                 'Next steps for this member.', 'member', 1, 7),

    ('dap',  'topic',         'Session topic',        'What the session covered.', 'shared', 1, 1),
    ('dap',  'interventions', 'Interventions',        'What you did with the group.', 'shared', 1, 2),
    ('dap',  'process',       'Group process',        'How the group worked together.', 'shared', 0, 3),
    ('dap',  'data',          'Data',                 'What this member said and did in the session.', 'member', 1, 4),
    ('dap',  'assessment',    'Assessment',           'Your clinical reading of this member today.', 'member', 1, 5),
    ('dap',  'plan',          'Plan',                 'Next steps for this member.', 'member', 1, 6),

    ('birp', 'topic',         'Session topic',        'What the session covered.', 'shared', 1, 1),
    ('birp', 'interventions', 'Interventions',        'What you did with the group.', 'shared', 1, 2),
    ('birp', 'process',       'Group process',        'How the group worked together.', 'shared', 0, 3),
    ('birp', 'behaviour',     'Behaviour',            'What this member presented with: mood, behaviour, reports.', 'member', 1, 4),
    ('birp', 'response',      'Response',             'How this member responded to the interventions.', 'member', 1, 5),
    ('birp', 'plan',          'Plan',                 'Next steps for this member.', 'member', 1, 6);

-- One note per group session (occurrence).
CREATE TABLE session_notes (
    id             INTEGER PRIMARY KEY,
    session_id     INTEGER NOT NULL UNIQUE,
    group_id       INTEGER NOT NULL,
    template_code  TEXT NOT NULL REFERENCES note_templates(code),
    author_id      INTEGER NOT NULL,
    -- Random per note: orders the "Member A, B…" labels of this session
    -- only, so labels cannot be linked across sessions.
    label_key      BLOB NOT NULL CHECK (length(label_key) = 32),
    -- Bumped by every draft save: a save based on an older revision is
    -- refused instead of overwriting a colleague's text.
    revision       INTEGER NOT NULL DEFAULT 1,
    created_at     TEXT NOT NULL,
    updated_at     TEXT NOT NULL
);

-- Section text: client_id 0 is the shared part, otherwise that member's.
CREATE TABLE note_sections (
    note_id    INTEGER NOT NULL REFERENCES session_notes(id),
    client_id  INTEGER NOT NULL,
    key        TEXT NOT NULL,
    body       TEXT NOT NULL,
    PRIMARY KEY (note_id, client_id, key)
);

-- One row per attending member with a section in the note.
CREATE TABLE member_notes (
    note_id     INTEGER NOT NULL REFERENCES session_notes(id),
    client_id   INTEGER NOT NULL,
    risk_level  TEXT CHECK (risk_level IN ('none', 'low', 'moderate', 'high')),
    risk_text   TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (note_id, client_id)
);

-- Everyone booked into the session, by the names they had when the note was
-- signed: a record keeps redacting a member by the names the note was
-- written with, even after that member's name changes. Part of the hash.
CREATE TABLE note_roster (
    note_id           INTEGER NOT NULL REFERENCES session_notes(id),
    client_id         INTEGER NOT NULL,
    legal_first_name  TEXT NOT NULL,
    legal_last_name   TEXT NOT NULL,
    preferred_name    TEXT,
    PRIMARY KEY (note_id, client_id)
);

CREATE TABLE goals (
    id          INTEGER PRIMARY KEY,
    client_id   INTEGER NOT NULL,
    text        TEXT NOT NULL,
    started_on  TEXT NOT NULL,
    target_on   TEXT,
    status      TEXT NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'met', 'revised', 'discontinued')),
    created_by  INTEGER NOT NULL,
    created_at  TEXT NOT NULL,
    updated_at  TEXT NOT NULL
);
CREATE INDEX goals_by_client ON goals(client_id);

-- A member section's rating of one of that member's goals.
CREATE TABLE goal_ratings (
    note_id    INTEGER NOT NULL REFERENCES session_notes(id),
    client_id  INTEGER NOT NULL,
    goal_id    INTEGER NOT NULL REFERENCES goals(id),
    rating     INTEGER CHECK (rating BETWEEN 1 AND 5),
    comment    TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (note_id, goal_id)
);
CREATE INDEX goal_ratings_by_goal ON goal_ratings(goal_id);

-- Signatures are append-only. kind 'sign' makes the note immutable; when
-- `cosigner_id` is set the note waits for that person's 'cosign'.
CREATE TABLE note_signatures (
    id            INTEGER PRIMARY KEY,
    note_id       INTEGER NOT NULL REFERENCES session_notes(id),
    kind          TEXT NOT NULL CHECK (kind IN ('sign', 'cosign')),
    staff_id      INTEGER NOT NULL,
    signed_at     TEXT NOT NULL,
    -- SHA-256 (hex) of the note's canonical content at this moment.
    content_hash  TEXT NOT NULL,
    cosigner_id   INTEGER,
    UNIQUE (note_id, kind)
);

-- Changes after signing: each addendum is signed as it is written. client_id
-- NULL means it adds to the shared part; otherwise to that member's section.
CREATE TABLE note_addenda (
    id            INTEGER PRIMARY KEY,
    note_id       INTEGER NOT NULL REFERENCES session_notes(id),
    client_id     INTEGER,
    body          TEXT NOT NULL,
    author_id     INTEGER NOT NULL,
    signed_at     TEXT NOT NULL,
    content_hash  TEXT NOT NULL
);
CREATE INDEX note_addenda_by_note ON note_addenda(note_id);

-- Psychotherapy notes: sealed with the author's own key (AES-256-GCM); the
-- database only ever holds ciphertext. `key_id` tells which key sealed it.
CREATE TABLE private_notes (
    id          INTEGER PRIMARY KEY,
    session_id  INTEGER NOT NULL,
    client_id   INTEGER NOT NULL,
    author_id   INTEGER NOT NULL,
    key_id      TEXT NOT NULL,
    sealed      TEXT NOT NULL,
    created_at  TEXT NOT NULL,
    updated_at  TEXT NOT NULL,
    UNIQUE (session_id, client_id, author_id)
);

-- Full-text index: one row per section or addendum, mentions written out as
-- names. client_id 0 for the shared part. Maintained by the notes module.
CREATE VIRTUAL TABLE notes_fts USING fts5(
    body,
    note_id UNINDEXED,
    client_id UNINDEXED,
    section UNINDEXED,
    tokenize = 'unicode61 remove_diacritics 2'
);

-- Immutability: once a note has a 'sign' row, nothing of it changes.
CREATE TRIGGER session_notes_signed_no_update BEFORE UPDATE ON session_notes
WHEN EXISTS (SELECT 1 FROM note_signatures WHERE note_id = OLD.id AND kind = 'sign')
BEGIN SELECT RAISE(ABORT, 'signed note: changes must be addenda'); END;
CREATE TRIGGER session_notes_signed_no_delete BEFORE DELETE ON session_notes
WHEN EXISTS (SELECT 1 FROM note_signatures WHERE note_id = OLD.id AND kind = 'sign')
BEGIN SELECT RAISE(ABORT, 'signed note: changes must be addenda'); END;

CREATE TRIGGER note_sections_signed_no_insert BEFORE INSERT ON note_sections
WHEN EXISTS (SELECT 1 FROM note_signatures WHERE note_id = NEW.note_id AND kind = 'sign')
BEGIN SELECT RAISE(ABORT, 'signed note: changes must be addenda'); END;
CREATE TRIGGER note_sections_signed_no_update BEFORE UPDATE ON note_sections
WHEN EXISTS (SELECT 1 FROM note_signatures WHERE note_id IN (OLD.note_id, NEW.note_id) AND kind = 'sign')
BEGIN SELECT RAISE(ABORT, 'signed note: changes must be addenda'); END;
CREATE TRIGGER note_sections_signed_no_delete BEFORE DELETE ON note_sections
WHEN EXISTS (SELECT 1 FROM note_signatures WHERE note_id = OLD.note_id AND kind = 'sign')
BEGIN SELECT RAISE(ABORT, 'signed note: changes must be addenda'); END;

CREATE TRIGGER member_notes_signed_no_insert BEFORE INSERT ON member_notes
WHEN EXISTS (SELECT 1 FROM note_signatures WHERE note_id = NEW.note_id AND kind = 'sign')
BEGIN SELECT RAISE(ABORT, 'signed note: changes must be addenda'); END;
CREATE TRIGGER member_notes_signed_no_update BEFORE UPDATE ON member_notes
WHEN EXISTS (SELECT 1 FROM note_signatures WHERE note_id IN (OLD.note_id, NEW.note_id) AND kind = 'sign')
BEGIN SELECT RAISE(ABORT, 'signed note: changes must be addenda'); END;
CREATE TRIGGER member_notes_signed_no_delete BEFORE DELETE ON member_notes
WHEN EXISTS (SELECT 1 FROM note_signatures WHERE note_id = OLD.note_id AND kind = 'sign')
BEGIN SELECT RAISE(ABORT, 'signed note: changes must be addenda'); END;

CREATE TRIGGER note_roster_signed_no_insert BEFORE INSERT ON note_roster
WHEN EXISTS (SELECT 1 FROM note_signatures WHERE note_id = NEW.note_id AND kind = 'sign')
BEGIN SELECT RAISE(ABORT, 'signed note: changes must be addenda'); END;
CREATE TRIGGER note_roster_signed_no_update BEFORE UPDATE ON note_roster
WHEN EXISTS (SELECT 1 FROM note_signatures WHERE note_id IN (OLD.note_id, NEW.note_id) AND kind = 'sign')
BEGIN SELECT RAISE(ABORT, 'signed note: changes must be addenda'); END;
CREATE TRIGGER note_roster_signed_no_delete BEFORE DELETE ON note_roster
WHEN EXISTS (SELECT 1 FROM note_signatures WHERE note_id = OLD.note_id AND kind = 'sign')
BEGIN SELECT RAISE(ABORT, 'signed note: changes must be addenda'); END;

CREATE TRIGGER goal_ratings_signed_no_insert BEFORE INSERT ON goal_ratings
WHEN EXISTS (SELECT 1 FROM note_signatures WHERE note_id = NEW.note_id AND kind = 'sign')
BEGIN SELECT RAISE(ABORT, 'signed note: changes must be addenda'); END;
CREATE TRIGGER goal_ratings_signed_no_update BEFORE UPDATE ON goal_ratings
WHEN EXISTS (SELECT 1 FROM note_signatures WHERE note_id IN (OLD.note_id, NEW.note_id) AND kind = 'sign')
BEGIN SELECT RAISE(ABORT, 'signed note: changes must be addenda'); END;
CREATE TRIGGER goal_ratings_signed_no_delete BEFORE DELETE ON goal_ratings
WHEN EXISTS (SELECT 1 FROM note_signatures WHERE note_id = OLD.note_id AND kind = 'sign')
BEGIN SELECT RAISE(ABORT, 'signed note: changes must be addenda'); END;

CREATE TRIGGER note_signatures_no_update BEFORE UPDATE ON note_signatures
BEGIN SELECT RAISE(ABORT, 'signatures cannot be changed'); END;
CREATE TRIGGER note_signatures_no_delete BEFORE DELETE ON note_signatures
BEGIN SELECT RAISE(ABORT, 'signatures cannot be changed'); END;
CREATE TRIGGER note_addenda_no_update BEFORE UPDATE ON note_addenda
BEGIN SELECT RAISE(ABORT, 'addenda cannot be changed'); END;
CREATE TRIGGER note_addenda_no_delete BEFORE DELETE ON note_addenda
BEGIN SELECT RAISE(ABORT, 'addenda cannot be changed'); END;
