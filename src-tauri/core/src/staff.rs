//! Staff members: their rows, validation and the directory.
//!
//! Role is authoritative here in `practice.db`, not in the keyring. The
//! permission matrix is DESIGN.md's "Roles" table; every service checks it
//! through [`Actor::require`], and the keyring enforces it again
//! cryptographically (only clinical roles hold the clinical key).

use rusqlite::{params, Connection, OptionalExtension};

use crate::error::{Error, Result};
use crate::roles::{Capability, Role};

/// A staff member as the Staff screen lists them.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct StaffMember {
    pub id: i64,
    pub username: String,
    pub full_name: String,
    pub role: Role,
    /// Whether the role is clinical (holds the clinical key): facilitates
    /// groups, takes appointments, reads notes.
    pub clinical: bool,
    pub active: bool,
    /// Whose co-signature this person's notes wait for.
    pub supervisor_id: Option<i64>,
}

/// Active staff, for pickers (facilitators, clinicians): open to every role.
pub fn directory(signed_in: &crate::signed_in::SignedIn) -> Result<Vec<StaffMember>> {
    signed_in.require(Capability::Scheduling)?;
    Ok(all(signed_in.conn())?
        .into_iter()
        .filter(|m| m.active)
        .collect())
}

pub const MAX_NAME_CHARS: usize = 120;

/// Checks a full name; returns it trimmed.
pub fn validate_full_name(field: &str, name: &str) -> Result<String> {
    let trimmed = name.trim();
    if trimmed.is_empty() {
        return Err(Error::invalid(field, "Enter the person's full name."));
    }
    if trimmed.chars().count() > MAX_NAME_CHARS {
        return Err(Error::invalid(
            field,
            format!("Keep the name under {MAX_NAME_CHARS} characters."),
        ));
    }
    Ok(trimmed.to_owned())
}

/// Usernames: 2–32 of lowercase letters, digits, dot, dash, underscore.
pub fn validate_username(field: &str, username: &str) -> Result<String> {
    let u = username.trim().to_lowercase();
    let ok_chars = u
        .chars()
        .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || matches!(c, '.' | '-' | '_'));
    if u.len() < 2 || u.len() > 32 || !ok_chars {
        return Err(Error::invalid(
            field,
            "Use 2 to 32 letters, digits, dots, dashes or underscores, with no spaces.",
        ));
    }
    Ok(u)
}

pub(crate) fn insert(
    conn: &Connection,
    username: &str,
    full_name: &str,
    role: Role,
) -> Result<i64> {
    let exists: Option<i64> = conn
        .query_row(
            "SELECT id FROM staff WHERE username = ?1",
            [username],
            |r| r.get(0),
        )
        .optional()?;
    if exists.is_some() {
        return Err(Error::invalid(
            "username",
            "That username is taken. Choose another.",
        ));
    }
    conn.execute(
        "INSERT INTO staff (username, full_name, role, created_at) VALUES (?1, ?2, ?3, ?4)",
        params![username, full_name, role.as_db(), crate::clock::now_text()],
    )?;
    Ok(conn.last_insert_rowid())
}

pub(crate) fn by_username(conn: &Connection, username: &str) -> Result<Option<StaffMember>> {
    Ok(conn
        .query_row(
            "SELECT id, username, full_name, role, active, supervisor_id FROM staff WHERE username = ?1",
            [username],
            row_to_member,
        )
        .optional()?)
}

pub(crate) fn by_id(conn: &Connection, id: i64) -> Result<StaffMember> {
    conn.query_row(
        "SELECT id, username, full_name, role, active, supervisor_id FROM staff WHERE id = ?1",
        [id],
        row_to_member,
    )
    .optional()?
    .ok_or(Error::NotFound {
        what: "That staff member",
    })
}

pub(crate) fn all(conn: &Connection) -> Result<Vec<StaffMember>> {
    let mut stmt = conn.prepare(
        "SELECT id, username, full_name, role, active, supervisor_id FROM staff
         ORDER BY active DESC, full_name COLLATE NOCASE",
    )?;
    let rows = stmt
        .query_map([], row_to_member)?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(rows)
}

pub(crate) fn set_role(conn: &Connection, id: i64, role: Role) -> Result<()> {
    conn.execute(
        "UPDATE staff SET role = ?1 WHERE id = ?2",
        params![role.as_db(), id],
    )?;
    Ok(())
}

pub(crate) fn deactivate(conn: &Connection, id: i64) -> Result<()> {
    conn.execute(
        "UPDATE staff SET active = 0, deactivated_at = ?1 WHERE id = ?2",
        params![crate::clock::now_text(), id],
    )?;
    Ok(())
}

/// Sets (or clears) whose co-signature a staff member's notes wait for:
/// an active supervisor or owner other than themselves. Owner and manager.
pub fn set_supervisor(
    signed_in: &crate::signed_in::SignedIn,
    staff_id: i64,
    supervisor_id: Option<i64>,
) -> Result<StaffMember> {
    signed_in.require(Capability::Administer)?;
    let conn = signed_in.conn();
    let member = by_id(conn, staff_id)?;
    if let Some(sup) = supervisor_id {
        if sup == staff_id {
            return Err(Error::invalid(
                "supervisorId",
                "Nobody can supervise themselves. Choose someone else.",
            ));
        }
        let supervisor = by_id(conn, sup)?;
        if !supervisor.active || !supervisor.role.may_supervise() {
            return Err(Error::invalid(
                "supervisorId",
                "Choose an active supervisor or owner.",
            ));
        }
        if !member.role.is_clinical() {
            return Err(Error::invalid(
                "supervisorId",
                "Only clinical staff write notes that need co-signing.",
            ));
        }
    }
    let tx = crate::vault::db::write_transaction(conn)?;
    tx.execute(
        "UPDATE staff SET supervisor_id = ?1 WHERE id = ?2",
        params![supervisor_id, staff_id],
    )?;
    signed_in.audit(
        crate::audit::Event::new(
            Some(signed_in.actor().staff_id),
            crate::audit::Action::StaffSupervisorChanged,
        )
        .on("staff", staff_id)
        .detail(match supervisor_id {
            Some(id) => format!("supervisor={id}"),
            None => "supervisor=none".into(),
        }),
    )?;
    tx.commit()?;
    by_id(conn, staff_id)
}

/// Active people who administer the vault (owner or manager).
pub(crate) fn active_administrators(conn: &Connection) -> Result<i64> {
    Ok(conn.query_row(
        "SELECT count(*) FROM staff WHERE active = 1 AND role IN ('owner', 'manager')",
        [],
        |r| r.get(0),
    )?)
}

fn row_to_member(r: &rusqlite::Row<'_>) -> rusqlite::Result<StaffMember> {
    let role_text: String = r.get(3)?;
    // The CHECK constraint admits only known roles; an unknown one would
    // mean a hand-edited file, treated as the least-privileged role.
    let role = Role::from_db(&role_text).unwrap_or(Role::FrontDesk);
    Ok(StaffMember {
        id: r.get(0)?,
        username: r.get(1)?,
        full_name: r.get(2)?,
        role,
        clinical: role.is_clinical(),
        active: r.get::<_, i64>(4)? == 1,
        supervisor_id: r.get(5)?,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_permission_matrix_matches_the_design() {
        use Capability::*;
        let table = [
            (Role::Owner, [true, true, true, true, true]),
            (Role::Clinician, [true, true, true, false, false]),
            (Role::Supervisor, [true, true, true, true, false]),
            (Role::Manager, [true, false, false, false, true]),
            (Role::FrontDesk, [true, false, false, false, false]),
        ];
        for (role, expected) in table {
            let got = [Scheduling, ReadWriteNotes, Sign, CoSign, Administer].map(|c| role.can(c));
            assert_eq!(got, expected, "{role:?}");
        }
    }

    #[test]
    fn usernames_are_normalised_and_checked() {
        assert_eq!(
            validate_username("u", " Front.Desk ").unwrap(),
            "front.desk"
        );
        assert!(validate_username("u", "a b").is_err());
        assert!(validate_username("u", "x").is_err());
    }

    #[test]
    fn cli_role_names_parse() {
        assert_eq!(Role::from_cli("front-desk"), Some(Role::FrontDesk));
        assert_eq!(Role::from_cli("manager"), Some(Role::Manager));
        assert_eq!(Role::from_cli("admin"), None);
    }
}
