-- How far clinical.db's audit outbox has been chained (see audit/outbox.rs):
-- outbox rows at or below it are in the chain already and are only deleted.
-- IF NOT EXISTS: tests put a vault back to an earlier level by its number.
CREATE TABLE IF NOT EXISTS audit_outbox_moved (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    moved_through INTEGER NOT NULL
);
