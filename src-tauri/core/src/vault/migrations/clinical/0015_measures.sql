-- Issue 19: standard outcome measures (measures/store.rs). Each entry is
-- its item answers (a total alone is never stored without them); Circle
-- computes the total. One entry per session, client and measure: a second
-- is refused rather than overwriting the first (an answer of item 9 is not
-- taken back by entering the form again).
-- IF NOT EXISTS: tests put a vault back to an earlier level.
CREATE TABLE IF NOT EXISTS measure_entries (
    id          INTEGER PRIMARY KEY,
    client_id   INTEGER NOT NULL,
    session_id  INTEGER NOT NULL,
    instrument  TEXT NOT NULL CHECK (instrument IN ('phq9', 'gad7')),
    -- One digit 0–3 per item, item 1 first: "221121110".
    answers     TEXT NOT NULL CHECK (answers NOT GLOB '*[^0-3]*' AND length(answers) IN (7, 9)),
    total       INTEGER NOT NULL CHECK (total BETWEEN 0 AND 27),
    entered_by  INTEGER NOT NULL,
    entered_at  TEXT NOT NULL,
    UNIQUE (client_id, session_id, instrument)
);
CREATE INDEX IF NOT EXISTS measure_entries_by_session ON measure_entries (session_id);

-- PHQ-9 item 9 answered above 0: open until a clinician acknowledges it
-- with a short safety note. The acknowledgement is signed: its hash covers
-- the entry, who, when and the note; once made it cannot be changed.
CREATE TABLE IF NOT EXISTS measure_risk_flags (
    entry_id         INTEGER PRIMARY KEY REFERENCES measure_entries(id),
    client_id        INTEGER NOT NULL,
    raised_at        TEXT NOT NULL,
    acknowledged_by  INTEGER,
    acknowledged_at  TEXT,
    safety_note      TEXT,
    signature        TEXT
);
CREATE INDEX IF NOT EXISTS measure_risk_flags_open
    ON measure_risk_flags (client_id) WHERE acknowledged_at IS NULL;
CREATE TRIGGER IF NOT EXISTS measure_risk_flag_acknowledged_stays
BEFORE UPDATE ON measure_risk_flags
WHEN OLD.acknowledged_at IS NOT NULL
BEGIN
    SELECT RAISE(ABORT, 'an acknowledged risk flag cannot be changed');
END;
