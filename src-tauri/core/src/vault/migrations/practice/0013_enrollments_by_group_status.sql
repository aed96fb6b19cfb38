-- A group's active or waitlisted members were counted by reading every
-- enrollment the practice ever made, once per group (Today's waitlists, the
-- groups list, a session's members, the waitlist's next position): on a
-- ten-year practice, 13,000 enrollments, mostly discharged. IF NOT EXISTS:
-- a test rebuilding an older vault may leave it in place.
CREATE INDEX IF NOT EXISTS enrollments_by_group_status ON enrollments(group_id, status);
