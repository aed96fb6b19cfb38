-- practice.db, level 2: clients, rooms, groups, rosters, series, sessions,
-- appointments, availability, attendance. Instants are UTC RFC 3339 text
-- ("2026-03-03T18:00:00Z"); local dates are "YYYY-MM-DD" in the practice zone.

CREATE TABLE clients (
    id                INTEGER PRIMARY KEY,
    record_number     TEXT NOT NULL UNIQUE,
    legal_first_name  TEXT NOT NULL,
    legal_last_name   TEXT NOT NULL,
    preferred_name    TEXT,
    pronouns          TEXT,
    date_of_birth     TEXT,
    phone             TEXT,
    email             TEXT,
    emergency_name    TEXT,
    emergency_phone   TEXT,
    status            TEXT NOT NULL DEFAULT 'prospect' CHECK (status IN ('prospect', 'active', 'discharged')),
    -- Legal and preferred names folded (lower case, no diacritics) for search.
    search_key        TEXT NOT NULL,
    created_at        TEXT NOT NULL,
    updated_at        TEXT NOT NULL
);
CREATE INDEX clients_by_last_name ON clients(legal_last_name COLLATE NOCASE, legal_first_name COLLATE NOCASE);

CREATE TABLE rooms (
    id        INTEGER PRIMARY KEY,
    name      TEXT NOT NULL UNIQUE COLLATE NOCASE,
    capacity  INTEGER NOT NULL CHECK (capacity > 0),
    active    INTEGER NOT NULL DEFAULT 1 CHECK (active IN (0, 1))
);

CREATE TABLE groups (
    id                      INTEGER PRIMARY KEY,
    name                    TEXT NOT NULL,
    kind                    TEXT NOT NULL CHECK (kind IN ('closed', 'rolling')),
    modality                TEXT NOT NULL DEFAULT '',
    capacity                INTEGER NOT NULL CHECK (capacity > 0),
    primary_facilitator_id  INTEGER NOT NULL REFERENCES staff(id),
    default_room_id         INTEGER REFERENCES rooms(id),
    note_template           TEXT NOT NULL DEFAULT 'girp' CHECK (note_template IN ('girp', 'soap', 'dap', 'birp')),
    substance_use           INTEGER NOT NULL DEFAULT 0 CHECK (substance_use IN (0, 1)),
    archived                INTEGER NOT NULL DEFAULT 0 CHECK (archived IN (0, 1)),
    created_at              TEXT NOT NULL
);

CREATE TABLE group_cofacilitators (
    group_id  INTEGER NOT NULL REFERENCES groups(id) ON DELETE CASCADE,
    staff_id  INTEGER NOT NULL REFERENCES staff(id),
    PRIMARY KEY (group_id, staff_id)
);

-- A client's place in a group: waitlisted -> active -> discharged.
CREATE TABLE enrollments (
    id                 INTEGER PRIMARY KEY,
    group_id           INTEGER NOT NULL REFERENCES groups(id),
    client_id          INTEGER NOT NULL REFERENCES clients(id),
    status             TEXT NOT NULL CHECK (status IN ('waitlisted', 'active', 'discharged')),
    -- Order on the waitlist (smaller first); NULL unless waitlisted.
    waitlist_position  INTEGER,
    enrolled_on        TEXT,
    discharged_on      TEXT,
    discharge_reason   TEXT,
    created_at         TEXT NOT NULL
);
-- One open enrollment per client and group.
CREATE UNIQUE INDEX enrollments_open ON enrollments(group_id, client_id) WHERE status <> 'discharged';
CREATE INDEX enrollments_by_client ON enrollments(client_id);

-- A group's recurrence, in the practice's IANA zone.
CREATE TABLE series (
    id                INTEGER PRIMARY KEY,
    group_id          INTEGER NOT NULL REFERENCES groups(id),
    room_id           INTEGER NOT NULL REFERENCES rooms(id),
    timezone          TEXT NOT NULL,
    first_date        TEXT NOT NULL,
    start_time        TEXT NOT NULL,
    duration_minutes  INTEGER NOT NULL CHECK (duration_minutes BETWEEN 5 AND 720),
    rule              TEXT NOT NULL CHECK (rule IN ('weekly', 'monthly_nth_weekday')),
    interval_weeks    INTEGER NOT NULL DEFAULT 1 CHECK (interval_weeks BETWEEN 1 AND 52),
    nth_week          INTEGER CHECK (nth_week IN (-1, 1, 2, 3, 4)),
    weekday           INTEGER CHECK (weekday BETWEEN 0 AND 6),
    until_date        TEXT,
    occurrence_count  INTEGER CHECK (occurrence_count > 0),
    created_at        TEXT NOT NULL
);

-- One row per occurrence; a moved or cancelled one is marked as an exception
-- so later edits of the series leave it alone.
CREATE TABLE sessions (
    id            INTEGER PRIMARY KEY,
    series_id     INTEGER REFERENCES series(id),
    group_id      INTEGER NOT NULL REFERENCES groups(id),
    seq           INTEGER,
    room_id       INTEGER NOT NULL REFERENCES rooms(id),
    starts_at     TEXT NOT NULL,
    ends_at       TEXT NOT NULL,
    status        TEXT NOT NULL DEFAULT 'scheduled' CHECK (status IN ('scheduled', 'cancelled')),
    is_exception  INTEGER NOT NULL DEFAULT 0 CHECK (is_exception IN (0, 1)),
    CHECK (ends_at > starts_at)
);
CREATE INDEX sessions_by_time ON sessions(starts_at);
CREATE INDEX sessions_by_group ON sessions(group_id, starts_at);
CREATE INDEX sessions_by_room ON sessions(room_id, starts_at);

-- Who is booked into an occurrence.
CREATE TABLE session_members (
    session_id  INTEGER NOT NULL REFERENCES sessions(id) ON DELETE CASCADE,
    client_id   INTEGER NOT NULL REFERENCES clients(id),
    PRIMARY KEY (session_id, client_id)
);
CREATE INDEX session_members_by_client ON session_members(client_id);

-- Individual appointments: intake screenings and check-ins.
CREATE TABLE appointments (
    id            INTEGER PRIMARY KEY,
    kind          TEXT NOT NULL CHECK (kind IN ('intake', 'check_in')),
    client_id     INTEGER NOT NULL REFERENCES clients(id),
    clinician_id  INTEGER NOT NULL REFERENCES staff(id),
    room_id       INTEGER NOT NULL REFERENCES rooms(id),
    starts_at     TEXT NOT NULL,
    ends_at       TEXT NOT NULL,
    status        TEXT NOT NULL DEFAULT 'scheduled' CHECK (status IN ('scheduled', 'cancelled')),
    created_at    TEXT NOT NULL,
    CHECK (ends_at > starts_at)
);
CREATE INDEX appointments_by_time ON appointments(starts_at);
CREATE INDEX appointments_by_clinician ON appointments(clinician_id, starts_at);

-- When a clinician takes appointments: weekly hours in the practice zone.
CREATE TABLE availability_blocks (
    id          INTEGER PRIMARY KEY,
    staff_id    INTEGER NOT NULL REFERENCES staff(id),
    weekday     INTEGER NOT NULL CHECK (weekday BETWEEN 0 AND 6),
    start_time  TEXT NOT NULL,
    end_time    TEXT NOT NULL,
    CHECK (end_time > start_time)
);

CREATE TABLE attendance (
    session_id   INTEGER NOT NULL REFERENCES sessions(id),
    client_id    INTEGER NOT NULL REFERENCES clients(id),
    status       TEXT NOT NULL CHECK (status IN ('present', 'late', 'left_early', 'absent_excused', 'no_show', 'cancelled_late')),
    arrived_at   TEXT,
    left_at      TEXT,
    recorded_by  INTEGER NOT NULL REFERENCES staff(id),
    recorded_at  TEXT NOT NULL,
    PRIMARY KEY (session_id, client_id)
);
