-- A clinical write's audit rows, committed in clinical.db with the write and
-- moved into practice.db's chain right after (see audit/outbox.rs): a crash
-- can then never leave an audit row without its change, or the reverse.
-- IF NOT EXISTS: tests put a vault back to an earlier level by its number.
CREATE TABLE IF NOT EXISTS audit_outbox (
    id INTEGER PRIMARY KEY,
    at TEXT NOT NULL,
    actor_id INTEGER,
    action TEXT NOT NULL,
    entity_kind TEXT,
    entity_id INTEGER,
    detail TEXT
);
