//! Numbered schema migrations, one list per database, applied in one
//! transaction at unlock. `user_version` records the level reached.

use std::path::Path;

use rusqlite::Connection;

use crate::error::{Error, Result};

pub struct Migration {
    pub version: i64,
    pub sql: &'static str,
}

pub const PRACTICE: &[Migration] = &[
    Migration {
        version: 1,
        sql: include_str!("migrations/practice/0001_vault.sql"),
    },
    Migration {
        version: 2,
        sql: include_str!("migrations/practice/0002_scheduling.sql"),
    },
    Migration {
        version: 3,
        sql: include_str!("migrations/practice/0003_notes_settings.sql"),
    },
    Migration {
        version: 4,
        sql: include_str!("migrations/practice/0004_key_commitments.sql"),
    },
    // Discharge reasons become a choice; free text leaves practice.db.
    Migration {
        version: 5,
        sql: include_str!("migrations/practice/0005_discharge_reason_choice.sql"),
    },
    // Client status follows the roster: existing clients brought in line.
    Migration {
        version: 6,
        sql: include_str!("migrations/practice/0006_client_status_from_roster.sql"),
    },
    // The practice's locale (how dates and times are written).
    Migration {
        version: 7,
        sql: include_str!("migrations/practice/0007_practice_locale.sql"),
    },
    // Attendance at appointments, in the same words as at group sessions.
    Migration {
        version: 8,
        sql: include_str!("migrations/practice/0008_appointment_attendance.sql"),
    },
    // A client's middle name and name order (given or family name first).
    Migration {
        version: 9,
        sql: include_str!("migrations/practice/0009_client_name_order.sql"),
    },
    // The letterhead of exported PDFs: the practice's address and phone.
    Migration {
        version: 10,
        sql: include_str!("migrations/practice/0010_letterhead.sql"),
    },
    Migration {
        version: 11,
        sql: include_str!("migrations/practice/0011_backups.sql"),
    },
    // How far clinical.db's audit outbox is chained (see audit/outbox.rs).
    Migration {
        version: 12,
        sql: include_str!("migrations/practice/0012_audit_outbox_moved.sql"),
    },
    // A group's members by status, found without reading every enrollment.
    Migration {
        version: 13,
        sql: include_str!("migrations/practice/0013_enrollments_by_group_status.sql"),
    },
    Migration {
        version: 14,
        sql: include_str!("migrations/practice/0014_retention.sql"),
    },
    Migration {
        version: 15,
        sql: include_str!("migrations/practice/0015_session_formats.sql"),
    },
];

pub const CLINICAL: &[Migration] = &[
    Migration {
        version: 1,
        sql: include_str!("migrations/clinical/0001_vault.sql"),
    },
    Migration {
        version: 2,
        sql: include_str!("migrations/clinical/0002_notes.sql"),
    },
    Migration {
        version: 3,
        sql: include_str!("migrations/clinical/0003_key_rotation.sql"),
    },
    // A discharge's optional clinical note, closed to the front desk.
    Migration {
        version: 4,
        sql: include_str!("migrations/clinical/0004_discharge_notes.sql"),
    },
    // No statement form takes the place of a signed note's rows; each
    // signature records its canonical format.
    Migration {
        version: 5,
        sql: include_str!("migrations/clinical/0005_signed_rows_guard.sql"),
    },
    // Occurrences in a shared section the author marked "not a name".
    Migration {
        version: 6,
        sql: include_str!("migrations/clinical/0006_name_releases.sql"),
    },
    // Names frozen at signing keep the middle name and name order.
    Migration {
        version: 7,
        sql: include_str!("migrations/clinical/0007_roster_name_order.sql"),
    },
    // 42 CFR Part 2 consents and the accounting of disclosures (append-only).
    Migration {
        version: 8,
        sql: include_str!("migrations/clinical/0008_consents_disclosures.sql"),
    },
    // A note's rows in the full-text index, found without scanning it.
    Migration {
        version: 9,
        sql: include_str!("migrations/clinical/0009_notes_fts_rows.sql"),
    },
    // A member's notes and a note's signatures, found without a scan.
    Migration {
        version: 10,
        sql: include_str!("migrations/clinical/0010_chart_indexes.sql"),
    },
    // Clinical writes' audit rows wait here until chained (audit/outbox.rs).
    Migration {
        version: 11,
        sql: include_str!("migrations/clinical/0011_audit_outbox.sql"),
    },
    // The notes waiting for someone's co-signature, found without a scan.
    Migration {
        version: 12,
        sql: include_str!("migrations/clinical/0012_cosign_index.sql"),
    },
    // The notes not signed yet, for Today's "to sign" (issue 15).
    Migration {
        version: 13,
        sql: include_str!("migrations/clinical/0013_note_drafts.sql"),
    },
    Migration {
        version: 14,
        sql: include_str!("migrations/clinical/0014_purge_trail.sql"),
    },
    // PHQ-9 and GAD-7 entries by their item answers, and item 9's risk flag.
    Migration {
        version: 15,
        sql: include_str!("migrations/clinical/0015_measures.sql"),
    },
];

/// Brings the database on `conn` (its `main` schema) up to the newest level.
/// A database from a newer Circle is refused, untouched.
pub fn migrate(conn: &mut Connection, migrations: &[Migration], path: &Path) -> Result<()> {
    let current: i64 = conn.query_row("PRAGMA user_version", [], |r| r.get(0))?;
    let latest = migrations.last().map(|m| m.version).unwrap_or(0);
    if current > latest {
        return Err(Error::VaultTooNew {
            file: path
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default(),
        });
    }
    if current == latest {
        return Ok(());
    }
    let tx = conn.transaction()?;
    for migration in migrations.iter().filter(|m| m.version > current) {
        tx.execute_batch(migration.sql)?;
    }
    // PRAGMA takes no parameters; `latest` is our own integer constant.
    tx.execute_batch(&format!("PRAGMA user_version = {latest}"))?;
    tx.commit()?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_older_database_upgrades_step_by_step_and_records_its_level() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("practice.db");
        let mut conn = Connection::open(&path).unwrap();
        migrate(&mut conn, &PRACTICE[..1], &path).unwrap();
        let level: i64 = conn
            .query_row("PRAGMA user_version", [], |r| r.get(0))
            .unwrap();
        assert_eq!(level, 1);
        migrate(&mut conn, PRACTICE, &path).unwrap();
        let level: i64 = conn
            .query_row("PRAGMA user_version", [], |r| r.get(0))
            .unwrap();
        assert_eq!(level, PRACTICE.last().unwrap().version);
        conn.execute_batch("SELECT count(*) FROM clients").unwrap();
    }

    /// The last entry is taken as the newest level and each runs once past
    /// the level reached: a level listed out of order, twice or skipped
    /// would leave a vault half-migrated or refused as "too new".
    #[test]
    fn levels_are_listed_one_after_another() {
        for list in [PRACTICE, CLINICAL] {
            let levels: Vec<i64> = list.iter().map(|m| m.version).collect();
            let expected: Vec<i64> = (1..=list.len() as i64).collect();
            assert_eq!(levels, expected);
        }
    }
}
