-- clinical.db, level 8: 42 CFR Part 2 consents and the accounting of
-- disclosures (the `disclosures` module).
--
-- A consent is the client's signed permission to release their record to
-- one recipient for one purpose, over a span of the record (scope_from and
-- scope_to; NULL at an end leaves that end open, both NULL is the whole
-- record), until it expires or is revoked. A disclosure is one release of a
-- client's record (an exported member record or session packet): to whom,
-- why, which dates it covered, who released it, the SHA-256 of the file,
-- and the consent it was released under. Dates are "YYYY-MM-DD" in the
-- practice's zone; instants RFC 3339 UTC.
--
-- Ids of clients and staff refer to rows in practice.db; SQLite cannot
-- enforce keys across files, so the disclosures module checks them. Like
-- every table in this file, closed to the practice manager and front desk.

CREATE TABLE consents (
    id          INTEGER PRIMARY KEY,
    client_id   INTEGER NOT NULL,
    recipient   TEXT NOT NULL CHECK (length(trim(recipient)) > 0),
    purpose     TEXT NOT NULL CHECK (length(trim(purpose)) > 0),
    scope_from  TEXT,
    scope_to    TEXT,
    signed_on   TEXT NOT NULL,
    expires_on  TEXT,
    revoked_on  TEXT,
    created_by  INTEGER NOT NULL,
    created_at  TEXT NOT NULL
);
CREATE INDEX consents_by_client ON consents(client_id);

CREATE TABLE disclosures (
    id            INTEGER PRIMARY KEY,
    client_id     INTEGER NOT NULL,
    released_at   TEXT NOT NULL,
    kind          TEXT NOT NULL CHECK (kind IN ('member_record', 'session_packet')),
    recipient     TEXT NOT NULL CHECK (length(trim(recipient)) > 0),
    purpose       TEXT NOT NULL CHECK (length(trim(purpose)) > 0),
    covered_from  TEXT NOT NULL,
    covered_to    TEXT NOT NULL CHECK (covered_to >= covered_from),
    released_by   INTEGER NOT NULL,
    -- Lowercase hex of the released PDF: what `verify-export` looks up.
    sha256        TEXT NOT NULL
                  CHECK (length(sha256) = 64 AND sha256 NOT GLOB '*[^0-9a-f]*'),
    consent_id    INTEGER REFERENCES consents(id)
);
CREATE INDEX disclosures_by_client ON disclosures(client_id);
CREATE INDEX disclosures_by_sha256 ON disclosures(sha256);

-- The accounting of disclosures is append-only: a release cannot be undone,
-- so its entry cannot be changed or removed. The `no_replace` triggers
-- refuse an insert that would take an entry's id (`INSERT OR REPLACE`
-- deletes the row it collides with, and SQLite fires delete triggers for
-- that only when `recursive_triggers` is on; see level 5).
CREATE TRIGGER disclosures_no_update BEFORE UPDATE ON disclosures
BEGIN SELECT RAISE(ABORT, 'disclosures cannot be changed'); END;
CREATE TRIGGER disclosures_no_delete BEFORE DELETE ON disclosures
BEGIN SELECT RAISE(ABORT, 'disclosures cannot be changed'); END;
CREATE TRIGGER disclosures_no_replace BEFORE INSERT ON disclosures
WHEN EXISTS (SELECT 1 FROM disclosures WHERE id = NEW.id)
BEGIN SELECT RAISE(ABORT, 'disclosures cannot be changed'); END;

-- A consent is the basis the log names for a release: it stays as signed.
-- The one change is its revocation, made once; it is never deleted.
CREATE TRIGGER consents_no_delete BEFORE DELETE ON consents
BEGIN SELECT RAISE(ABORT, 'consents cannot be deleted: revoke them'); END;
CREATE TRIGGER consents_only_revoked_once BEFORE UPDATE ON consents
WHEN OLD.revoked_on IS NOT NULL
  OR NEW.revoked_on IS NULL
  OR NEW.id IS NOT OLD.id
  OR NEW.client_id IS NOT OLD.client_id
  OR NEW.recipient IS NOT OLD.recipient
  OR NEW.purpose IS NOT OLD.purpose
  OR NEW.scope_from IS NOT OLD.scope_from
  OR NEW.scope_to IS NOT OLD.scope_to
  OR NEW.signed_on IS NOT OLD.signed_on
  OR NEW.expires_on IS NOT OLD.expires_on
  OR NEW.created_by IS NOT OLD.created_by
  OR NEW.created_at IS NOT OLD.created_at
BEGIN SELECT RAISE(ABORT, 'a consent can only be revoked, once'); END;
CREATE TRIGGER consents_no_replace BEFORE INSERT ON consents
WHEN EXISTS (SELECT 1 FROM consents WHERE id = NEW.id)
BEGIN SELECT RAISE(ABORT, 'consents cannot be deleted: revoke them'); END;
