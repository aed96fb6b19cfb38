-- The notes waiting for someone's co-signature were found by reading every
-- signature ever made (Today, on every open). Partial: only signatures that
-- name a co-signer (supervisees' notes) are in it. IF NOT EXISTS: a test
-- rebuilding an older vault may leave it in place.
CREATE INDEX IF NOT EXISTS note_signatures_by_cosigner ON note_signatures(cosigner_id)
    WHERE cosigner_id IS NOT NULL;
