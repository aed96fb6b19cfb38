-- practice.db, level 8: attendance at individual appointments (intake
-- screenings, check-ins), in the same words as at group sessions: present,
-- late (arrived at), left early (left at), absent excused, no-show, late
-- cancellation. One row per appointment (its one client); recording again
-- corrects it. Times are UTC instants within the appointment.
CREATE TABLE appointment_attendance (
    appointment_id  INTEGER PRIMARY KEY REFERENCES appointments(id),
    status          TEXT NOT NULL CHECK (status IN ('present', 'late', 'left_early', 'absent_excused', 'no_show', 'cancelled_late')),
    arrived_at      TEXT,
    left_at         TEXT,
    recorded_by     INTEGER NOT NULL REFERENCES staff(id),
    recorded_at     TEXT NOT NULL
);
